import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatBytes, formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'redis-memory',
  component: 'cache',
  category: 'memory',
  description: 'used_memory against maxmemory; no maxmemory (0) is reported as an info finding.',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const memory = redis?.memory;
    if (!redis || !memory) return NOT_APPLICABLE;
    const used = memory.usedBytes.value ?? 0;
    if (memory.noLimit) {
      context.report({
        severity: 'info',
        subject: INSTANCE,
        title: 'Redis has no memory limit',
        message: `${describeNode(redis)} has maxmemory 0 (no limit) and uses ${formatBytes(used)}: it can grow until the host runs out of memory.`,
        evidence: { metric: 'redis.memory.maxmemoryBytes', value: 0, unit: 'bytes', threshold: 'a limit' },
        recommendation:
          'Set maxmemory below the memory the host (or container) can give Redis, leaving room for fork copy-on-write, and choose a policy: ' +
          '`CONFIG SET maxmemory <bytes>` and `CONFIG SET maxmemory-policy allkeys-lru` for a pure cache (volatile-lru only evicts keys with a TTL); then CONFIG REWRITE.',
      });
      return;
    }
    const percent = memory.usedPercentOfMax.value;
    if (percent === null) return NOT_APPLICABLE;
    const crossed = levelAbove(percent, context.thresholds.redisMemoryPercent);
    if (!crossed) return;
    const max = memory.maxmemoryBytes.value ?? 0;
    const policyAdvice =
      memory.policy === 'noeviction'
        ? 'With maxmemory-policy noeviction, writes fail with OOM errors at the limit.'
        : memory.policy.startsWith('volatile')
          ? `With ${memory.policy} only keys with a TTL can be evicted; writes fail once none is left.`
          : `With ${memory.policy}, keys are evicted at the limit (lost cache entries, lower hit rate).`;
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Redis near its memory limit',
      message: `${describeNode(redis)} uses ${formatBytes(used)} of its ${formatBytes(max)} maxmemory (${formatPercent(percent)}, policy ${memory.policy}).`,
      evidence: { metric: 'redis.memory.usedPercentOfMax', value: round(percent, 1), unit: '%', threshold: crossed.threshold },
      recommendation:
        `${policyAdvice} Raise maxmemory if the host has room (CONFIG SET maxmemory), or shrink the data: the largest keys are listed under metrics.redis.keySample.largestKeys, ` +
        '`redis-cli --memkeys` samples more; set TTLs on cache keys that have none.',
    });
  },
});
