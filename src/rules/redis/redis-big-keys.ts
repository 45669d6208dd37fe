import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import type { RedisBigKey } from '../../contracts/redis.js';
import type { Thresholds } from '../thresholds.js';
import { describeNode, keySubject, reachedRedis } from '../lib/redis-common.js';
import { formatBytes, formatCount, formatPercent } from '../levels.js';

/** The RedisInsight limit of a key's type, or null for types without one (streams). */
export function bigKeyLimit(type: RedisBigKey['type'], thresholds: Thresholds): { limit: number; metric: string } | null {
  switch (type) {
    case 'string':
      return { limit: thresholds.redisBigStringBytes.warning, metric: 'redisBigStringBytes' };
    case 'hash':
      return { limit: thresholds.redisBigHashFields.warning, metric: 'redisBigHashFields' };
    case 'set':
      return { limit: thresholds.redisBigSetMembers.warning, metric: 'redisBigSetMembers' };
    case 'zset':
      return { limit: thresholds.redisBigZsetMembers.warning, metric: 'redisBigZsetMembers' };
    case 'list':
      return { limit: thresholds.redisBigListElements.warning, metric: 'redisBigListElements' };
    default:
      return null;
  }
}

function advice(key: RedisBigKey): string {
  switch (key.type) {
    case 'string':
      return 'Compress the value, split it into several keys, or keep large blobs out of Redis (object storage, with the key holding a reference).';
    case 'hash':
      return 'Split the hash by a prefix of its fields (e.g. user:{id}:part:{n}); read fields with HMGET / HSCAN rather than HGETALL.';
    case 'list':
      return 'Trim it (LTRIM after LPUSH keeps the newest N) or, for a queue, add consumers; avoid LRANGE 0 -1 and LINDEX deep into it.';
    case 'set':
      return 'Split the set across several keys by a hash of the member, and read it with SSCAN instead of SMEMBERS.';
    case 'zset':
      return 'Cap it (ZREMRANGEBYRANK / ZREMRANGEBYSCORE on each write) or split it by time or id range; read ranges with LIMIT.';
    default:
      return 'Split or trim the key.';
  }
}

export const rule = defineRule({
  id: 'redis-big-keys',
  component: 'cache',
  category: 'cache',
  description: 'Keys over the RedisInsight size thresholds, found by the bounded SCAN sample.',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const sample = redis?.keySample;
    if (!redis || !sample) return NOT_APPLICABLE;
    for (const key of sample.largestKeys) {
      const limit = bigKeyLimit(key.type, context.thresholds);
      if (!limit || key.size <= limit.limit) continue;
      const size = key.unit === 'bytes' ? formatBytes(key.size) : `${formatCount(key.size)} ${key.unit}`;
      const limitText = key.unit === 'bytes' ? formatBytes(limit.limit) : `${formatCount(limit.limit)} ${key.unit}`;
      const memory = key.memoryBytes !== null ? `, ${formatBytes(key.memoryBytes)} of memory` : '';
      const coverage = sample.stoppedBy === 'done' ? '' : ` (the scan covered ${formatPercent(sample.coveragePercent)} of the keys; there may be more)`;
      context.report({
        severity: 'warning',
        subject: keySubject(key.name),
        title: `Big Redis ${key.type}`,
        message: `The ${key.type} key "${key.name}" on ${describeNode(redis)} holds ${size}${memory}, over the ${limitText} threshold${coverage}.`,
        evidence: { metric: `redis.keySample.largestKeys[${key.name}].size`, value: key.size, unit: key.unit, threshold: limit.limit },
        recommendation:
          `${advice(key)} Big keys block the server while they are read, written, expired or deleted (use UNLINK, not DEL), and unbalance a cluster.`,
      });
    }
  },
});
