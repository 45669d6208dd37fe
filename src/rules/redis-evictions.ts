import type { Rule } from '../contracts/rule.js';
import { INSTANCE, describeNode, redisMetricsOf } from './redis-common.js';
import { formatBytes, formatCount, formatWindow, levelAbove } from './levels.js';

export const rule: Rule = {
  id: 'redis-evictions',
  component: 'cache',
  category: 'cache',
  description: 'Keys evicted under maxmemory during the window.',
  evaluate(context) {
    const redis = redisMetricsOf(context);
    const evicted = redis?.stats?.evictedKeysDuringWindow.value;
    if (!redis?.stats || evicted === null || evicted === undefined) return null;
    const crossed = levelAbove(evicted, context.thresholds.redisEvictedKeys);
    if (!crossed) return [];
    const memory = redis.memory;
    const limit = memory && !memory.noLimit ? ` at maxmemory ${formatBytes(memory.maxmemoryBytes.value ?? 0)} (policy ${memory.policy})` : '';
    return [
      {
        ruleId: rule.id,
        severity: crossed.severity,
        category: 'cache',
        subject: INSTANCE,
        title: 'Redis evicting keys',
        message:
          `${describeNode(redis)} evicted ${formatCount(evicted)} keys during the ${formatWindow(redis.windowMs)} window${limit}; ` +
          `${formatCount(redis.stats.evictedKeysSinceStart.value ?? evicted)} since start.`,
        evidence: { metric: 'redis.stats.evictedKeysDuringWindow', value: evicted, unit: 'keys', threshold: crossed.threshold },
        recommendation:
          'The dataset does not fit in maxmemory: evicted cache entries come back as misses (and as load on the database behind the cache). ' +
          'Raise maxmemory (CONFIG SET maxmemory) if the host has room, shorten TTLs of rarely reused keys, or shrink the largest keys (metrics.redis.keySample.largestKeys). ' +
          (memory?.policy.startsWith('volatile') ? `With ${memory.policy}, keys without a TTL are never evicted and crowd out those with one.` : ''),
      },
    ];
  },
};
