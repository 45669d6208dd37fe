/**
 * A complete, plausible RedisMetrics (every optional section present) for schema, reporter
 * and rule tests: Redis 7.0 at 127.0.0.1:6379, a 5 s window, 256 MB maxmemory at 62 %.
 */
import { cumulative, delta, gauge } from '../../src/contracts/metric.js';
import type { RedisMetrics } from '../../src/contracts/redis.js';

export const REDIS_WINDOW_MS = 5000;
const MB = 1024 * 1024;

export function buildRedisMetrics(change?: (redis: RedisMetrics) => void): RedisMetrics {
  const w = REDIS_WINDOW_MS;
  const redis: RedisMetrics = {
    target: 'redis://:***@127.0.0.1:6379/0',
    reachable: true,
    error: null,
    access: { reachable: true, authenticated: true, commands: { info: true, slowlog: true, memory: true, config: true, scan: true }, denied: [], connectMs: 1.8 },
    windowMs: w,
    server: {
      version: '7.0.15',
      mode: 'standalone',
      role: 'master',
      node: '127.0.0.1:6379',
      db: 0,
      uptimeSeconds: 86_400,
      connectedReplicas: 0,
      primary: null,
      primaryLinkStatus: null,
    },
    stats: {
      opsPerSec: delta(1250.4, 'ops/s', w),
      ownCommandsDuringWindow: 101,
      keyspaceHitsDuringWindow: delta(5800, 'lookups', w),
      keyspaceMissesDuringWindow: delta(200, 'lookups', w),
      hitRatePercent: { ...delta(96.67, '%', w), samples: 6000 },
      hitRateSinceStartPercent: { ...cumulative(95.1, '%'), samples: 9_000_000 },
      evictedKeysDuringWindow: delta(0, 'keys', w),
      evictedKeysSinceStart: cumulative(0, 'keys'),
      expiredKeysDuringWindow: delta(12, 'keys', w),
      rejectedConnectionsDuringWindow: delta(0, 'connections', w),
      rejectedConnectionsSinceStart: cumulative(0, 'connections'),
    },
    memory: {
      usedBytes: gauge(160 * MB, 'bytes'),
      rssBytes: gauge(180 * MB, 'bytes'),
      peakBytes: gauge(170 * MB, 'bytes'),
      maxmemoryBytes: gauge(256 * MB, 'bytes'),
      noLimit: false,
      usedPercentOfMax: gauge(62.5, '%'),
      policy: 'allkeys-lru',
      fragmentationRatio: gauge(1.12, 'ratio'),
      fragmentationBytes: gauge(20 * MB, 'bytes'),
      doctor: 'Hi Sam, I can\'t find any memory issue in your instance.',
    },
    clients: { connected: gauge(42, 'clients'), max: gauge(10_000, 'clients'), usedPercent: gauge(0.42, '%'), blocked: gauge(0, 'clients') },
    persistence: {
      rdbLastBgsaveStatus: 'ok',
      rdbChangesSinceLastSave: gauge(120, 'changes'),
      rdbLastSaveTime: 1_790_000_000,
      aofEnabled: true,
      aofLastWriteStatus: 'ok',
      aofLastBgrewriteStatus: 'ok',
      latestForkMs: gauge(2.4, 'ms'),
      loading: false,
    },
    latency: {
      pingP50Ms: { ...gauge(0.21, 'ms'), samples: 100 },
      pingP99Ms: { ...gauge(0.9, 'ms'), samples: 100 },
      pingMaxMs: { ...gauge(1.3, 'ms'), samples: 100 },
      pingSamples: 100,
      pingFailures: 0,
      serverAvgUsecPerCall: { ...gauge(3.2, 'µs'), sampling: 'delta', windowMs: w, samples: 6000 },
      serverCallsCounted: 6000,
      topCommandsByTime: [
        { command: 'get', calls: 8_000_000, usecPerCall: 1.2, timeSharePercent: 61.5, p50Usec: 1.0, p99Usec: 4.0 },
        { command: 'hgetall', calls: 20_000, usecPerCall: 150, timeSharePercent: 19.2, p50Usec: null, p99Usec: null },
      ],
    },
    slowlog: {
      length: 1,
      thresholdUsec: 10_000,
      entries: [{ id: 7, timestamp: 1_790_000_100, time: '2026-09-21T13:48:20.000Z', durationMs: 8.5, command: 'HGETALL', argumentCount: 1, clientName: 'api-worker' }],
    },
    keyspace: [{ db: 0, keys: 120_000, expires: 90_000, withTtlPercent: 75, avgTtlMs: 3_600_000 }],
    keySample: {
      scannedKeys: 100_000,
      totalKeys: 120_000,
      coveragePercent: 83.33,
      durationMs: 2000,
      stoppedBy: 'time',
      maxKeys: 100_000,
      maxMs: 2000,
      withoutTtl: 25_000,
      withoutTtlPercent: 25,
      largestKeys: [{ name: 'catalog:all', type: 'hash', size: 4200, unit: 'fields', memoryBytes: 512_000 }],
    },
    queues: [
      {
        name: 'emails',
        kind: 'bullmq',
        keys: [{ key: 'bull:emails:wait', type: 'list', length: 12 }],
        backlogAtStart: 12,
        backlogAtEnd: 12,
        backlogGrowthPerMin: delta(0, 'jobs/min', w),
        inPerMin: delta(240, 'jobs/min', w),
        outPerMin: delta(240, 'jobs/min', w),
        active: 3,
        delayed: 0,
        failed: 1,
      },
    ],
    notes: [],
  };
  change?.(redis);
  return redis;
}
