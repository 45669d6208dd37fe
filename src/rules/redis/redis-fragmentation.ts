import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatBytes, formatFixed, levelAbove, round } from '../levels.js';

/** MEMORY DOCTOR does not judge an instance using less than 5 MB ("empty or using very little memory"). */
export const DOCTOR_MIN_USED_BYTES = 5 * 1024 * 1024;
/** mem_fragmentation_ratio below 1: part of the dataset is swapped out (SPEC-THRESHOLDS Redis row: < 1 critical). */
export const SWAPPING_RATIO = 1;

export const rule = defineRule({
  id: 'redis-fragmentation',
  component: 'cache',
  category: 'memory',
  description: 'Memory fragmentation as MEMORY DOCTOR judges it (ratio > 1.4 with > 10 MB wasted), and a ratio below 1 (swapping).',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const memory = redis?.memory;
    const ratio = memory?.fragmentationRatio.value;
    const used = memory?.usedBytes.value;
    if (!redis || !memory || ratio === null || ratio === undefined || used === null || used === undefined) return NOT_APPLICABLE;
    if (used < DOCTOR_MIN_USED_BYTES) return;
    const rss = memory.rssBytes.value ?? 0;
    if (ratio < SWAPPING_RATIO) {
      context.report({
        severity: 'critical',
        subject: INSTANCE,
        title: 'Redis memory swapped out',
        message: `${describeNode(redis)} has ${formatBytes(used)} of data but only ${formatBytes(rss)} resident (fragmentation ratio ${formatFixed(ratio, 2)}): part of it is in swap.`,
        evidence: { metric: 'redis.memory.fragmentationRatio', value: round(ratio, 2), unit: 'ratio', threshold: SWAPPING_RATIO },
        recommendation:
          'Swapped Redis pages turn microsecond commands into disk reads: give the host more memory or lower maxmemory below what it can hold resident, ' +
          'and set vm.swappiness low on a dedicated Redis host.',
      });
      return;
    }
    const wasted = memory.fragmentationBytes.value ?? rss - used;
    const crossed = levelAbove(ratio, context.thresholds.redisFragmentationRatio);
    if (!crossed || wasted <= context.thresholds.redisFragmentationBytes.warning) return;
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Redis memory fragmented',
      message:
        `${describeNode(redis)} holds ${formatBytes(rss)} resident for ${formatBytes(used)} of data: fragmentation ratio ${formatFixed(ratio, 2)}, ` +
        `${formatBytes(wasted)} wasted.`,
      evidence: { metric: 'redis.memory.fragmentationRatio', value: round(ratio, 2), unit: 'ratio', threshold: crossed.threshold },
      recommendation:
        'Turn on active defragmentation (`CONFIG SET activedefrag yes`, jemalloc builds) or restart the instance after a failover to a replica; ' +
        'fragmentation usually follows deleting or expiring many keys of mixed sizes. MEMORY DOCTOR (metrics.redis.memory.doctor) explains the breakdown.',
    });
  },
});
