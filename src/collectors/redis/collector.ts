import type { Collector } from '../collector.js';
import { redactRedisUrl } from '../../ports/redis.js';
import { collectRedis, connectAndProbe } from './index.js';
import { parseInfo } from './info.js';

/** Redis: configured by redis.url (--redis-url, REDIS_URL); feeds the cache component. */
export const redisCollector: Collector<'redis'> = {
  id: 'redis',
  phase: 'database',
  component: 'cache',
  label: 'Redis',
  configured: (config) => config.redis.url !== undefined,
  describeTarget: (config) => redactRedisUrl(config.redis.url ?? ''),
  async probe({ config, ports }) {
    const url = config.redis.url!;
    const started = ports.clock.monotonicMs();
    const { session, access, error } = await connectAndProbe(ports.redis, ports.clock, { ...config.redis, url });
    if (!session) throw new Error(`${redactRedisUrl(url)}: ${access.reachable ? '' : 'unreachable: '}${error ?? 'not reachable'}`);
    try {
      const info = parseInfo(String(await session.call('INFO', 'server')));
      const allowed = Object.entries(access.commands).filter(([, ok]) => ok).map(([name]) => name.toUpperCase());
      const denied = Object.entries(access.commands).filter(([, ok]) => !ok).map(([name]) => name.toUpperCase());
      const ms = Math.round(ports.clock.monotonicMs() - started);
      return (
        `Redis ${info.get('redis_version') ?? '?'} (${info.get('redis_mode') ?? 'standalone'}) at ${redactRedisUrl(url)}: reachable and authenticated in ${ms} ms; ` +
        `allowed ${allowed.join(', ') || 'none'}${denied.length > 0 ? `; denied ${denied.join(', ')}` : ''}`
      );
    } finally {
      await session.close();
    }
  },
  collect: ({ config, ports, signal }) => collectRedis(ports, { ...config.redis, url: config.redis.url!, signal }),
};
