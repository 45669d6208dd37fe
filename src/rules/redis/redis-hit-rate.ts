import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatCount, formatPercent, formatWindow, levelAbove, round } from '../levels.js';

/** Fewer lookups than this in the window make a percentage meaningless; the rule then judges the since-start ratio (ours). */
export const MIN_LOOKUPS = 100;

export const rule = defineRule({
  id: 'redis-hit-rate',
  component: 'cache',
  category: 'cache',
  description: 'Keyspace hit rate during the window (or since start when the window saw too few lookups).',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    if (!redis?.stats) return NOT_APPLICABLE;
    const { stats } = redis;
    const windowLookups = stats.hitRatePercent.samples ?? 0;
    const useWindow = stats.hitRatePercent.value !== null && windowLookups >= MIN_LOOKUPS;
    const sinceStartLookups = stats.hitRateSinceStartPercent.samples ?? 0;
    const hitRate = useWindow ? stats.hitRatePercent.value : sinceStartLookups >= MIN_LOOKUPS ? stats.hitRateSinceStartPercent.value : null;
    if (hitRate === null) return NOT_APPLICABLE;
    const missRate = 100 - hitRate;
    const crossed = levelAbove(missRate, context.thresholds.redisMissRatePercent);
    if (!crossed) return;
    const when = useWindow
      ? `during the ${formatWindow(redis.windowMs)} window (${formatCount(windowLookups)} lookups)`
      : `since the server started (${formatCount(sinceStartLookups)} lookups; the window saw only ${formatCount(windowLookups)})`;
    const other = useWindow && stats.hitRateSinceStartPercent.value !== null ? `; since start ${formatPercent(stats.hitRateSinceStartPercent.value)}` : '';
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Low cache hit rate',
      message: `${describeNode(redis)} answered ${formatPercent(hitRate)} of key lookups from the cache ${when}${other}.`,
      evidence: {
        metric: useWindow ? 'redis.stats.hitRatePercent' : 'redis.stats.hitRateSinceStartPercent',
        value: round(hitRate, 1),
        unit: '%',
        threshold: round(100 - crossed.threshold, 1),
      },
      recommendation:
        'Find the keys that miss: `redis-cli --hotkeys` needs an LFU policy, otherwise MONITOR briefly on a replica or log cache misses in the application by key prefix. ' +
        'Common causes: TTLs shorter than the reuse interval, keys that embed volatile parts (timestamps, session ids), caching after the read instead of before, ' +
        `and evictions under maxmemory (evicted_keys ${formatCount(stats.evictedKeysSinceStart.value ?? 0)} since start).`,
    });
  },
});
