import type { Finding } from '../../contracts/finding.js';
import { defineRule, NOT_APPLICABLE, type FindingReport } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatBytes, formatCount, formatWindow, levelAbove } from '../levels.js';

/** "12 min", "3.5 h", "2.0 days": how long the server has run. */
function formatUptime(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 86_400 * 2) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

export const rule = defineRule({
  id: 'redis-evictions',
  component: 'cache',
  category: 'cache',
  description:
    'Keys evicted under maxmemory during the window; evictions since a start within redisEvictedSinceStart.recentUptimeSeconds as a warning too (they are recent), older ones as info.',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const evicted = redis?.stats?.evictedKeysDuringWindow.value;
    if (!redis?.stats || evicted === null || evicted === undefined) return NOT_APPLICABLE;
    const sinceStart = redis.stats.evictedKeysSinceStart.value ?? evicted;
    const uptime = redis.server?.uptimeSeconds ?? null;
    const started = uptime === null ? 'since start' : `since it started ${formatUptime(uptime)} ago`;
    const memory = redis.memory;
    const limit = memory && !memory.noLimit ? ` at maxmemory ${formatBytes(memory.maxmemoryBytes.value ?? 0)} (policy ${memory.policy})` : '';
    const finding = (severity: Finding['severity'], message: string, metric: string, value: number, threshold: number): FindingReport => ({
      severity,
      subject: INSTANCE,
      title: 'Redis evicting keys',
      message,
      evidence: { metric, value, unit: 'keys', threshold },
      recommendation:
        'The dataset does not fit in maxmemory: evicted cache entries come back as misses (and as load on the database behind the cache). ' +
        'Raise maxmemory (CONFIG SET maxmemory) if the host has room, shorten TTLs of rarely reused keys, or shrink the largest keys (metrics.redis.keySample.largestKeys). ' +
        (memory?.policy.startsWith('volatile') ? `With ${memory.policy}, keys without a TTL are never evicted and crowd out those with one.` : ''),
    });
    const crossed = levelAbove(evicted, context.thresholds.redisEvictedKeys);
    if (crossed) {
      context.report(
        finding(
          crossed.severity,
          `${describeNode(redis)} evicted ${formatCount(evicted)} keys during the ${formatWindow(redis.windowMs)} window${limit}; ${formatCount(sinceStart)} ${started}.`,
          'redis.stats.evictedKeysDuringWindow',
          evicted,
          crossed.threshold,
        ),
      );
      return;
    }
    if (sinceStart <= 0) return;
    // none in the window, but some since a recent start: they happened within that uptime, so they are recent
    const { recentUptimeSeconds, ...levels } = context.thresholds.redisEvictedSinceStart;
    const recent = uptime !== null && uptime <= recentUptimeSeconds;
    const since = levelAbove(sinceStart, levels);
    if (!since) return;
    context.report(
      finding(
        recent ? since.severity : 'info',
        `${describeNode(redis)} evicted no key during the ${formatWindow(redis.windowMs)} window but ${formatCount(sinceStart)} keys ${started}${limit}` +
          (recent ? ': within the last hour, so the cache is at its limit now.' : '; when is not known (the counter runs since start).'),
        'redis.stats.evictedKeysSinceStart',
        sinceStart,
        since.threshold,
      ),
    );
  },
});
