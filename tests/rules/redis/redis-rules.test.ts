/**
 * Every Redis rule, table-driven on hand-built artifacts: the healthy fixture passes, and each
 * change produces exactly the findings listed (rule, severity, subject).
 */
import { describe, expect, it } from '@jest/globals';
import type { Artifacts } from '../../../src/contracts/artifact.js';
import type { RedisMetrics } from '../../../src/contracts/redis.js';
import { evaluateRules, RULES } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { buildRedisMetrics } from '../../support/redis-fixture.js';
import { evaluateRule } from '../../../src/rules/engine.js';

const REDIS_RULES = RULES.filter((rule) => rule.component === 'cache');
const artifacts = (redis: RedisMetrics, status: 'ok' | 'partial' = 'ok'): Artifacts => ({ redis: { status, durationMs: 1, data: redis } });
const run = (redis: RedisMetrics) => evaluateRules(artifacts(redis), mergeThresholds(), REDIS_RULES);
const summary = (redis: RedisMetrics) => run(redis).findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.subject}`).sort();
const MB = 1024 * 1024;

describe('Redis rules', () => {
  it('a healthy instance passes every Redis rule', () => {
    const { findings, results } = run(buildRedisMetrics());
    expect(findings).toEqual([]);
    for (const result of results) expect(result.outcome).toBe('passed');
  });

  it('without a Redis artifact every Redis rule is not applicable', () => {
    const { results } = evaluateRules({}, mergeThresholds(), REDIS_RULES);
    for (const result of results) expect(result.outcome).toBe('not-applicable');
  });

  it.each<[string, (redis: RedisMetrics) => void, string[]]>([
    ['unreachable', (r) => Object.assign(r, { reachable: false, server: null, error: 'connect ECONNREFUSED 127.0.0.1:6379', access: { ...r.access, reachable: false, authenticated: false } }), ['redis-availability warning redis:instance']],
    ['wrong password', (r) => Object.assign(r, { reachable: true, server: null, error: 'WRONGPASS invalid username-password pair', access: { ...r.access, authenticated: false } }), ['redis-availability warning redis:instance']],
    ['maxclients reached before we connected', (r) => Object.assign(r, { reachable: false, server: null, error: 'ERR max number of clients reached' }), ['redis-availability critical redis:instance']],
    ['10 % of PINGs failed', (r) => Object.assign(r.latency!, { pingFailures: 10 }), ['redis-availability warning redis:instance']],
    ['5 % of PINGs failed (at the threshold)', (r) => Object.assign(r.latency!, { pingFailures: 5 }), []],
    ['hit rate 60 % in the window', (r) => Object.assign(r.stats!, { hitRatePercent: { ...r.stats!.hitRatePercent, value: 60 } }), ['redis-hit-rate info redis:instance']],
    ['hit rate 75 % (good enough)', (r) => Object.assign(r.stats!, { hitRatePercent: { ...r.stats!.hitRatePercent, value: 75 } }), []],
    [
      'too few lookups in the window: since start judged',
      (r) => Object.assign(r.stats!, { hitRatePercent: { ...r.stats!.hitRatePercent, value: 10, samples: 20 }, hitRateSinceStartPercent: { ...r.stats!.hitRateSinceStartPercent, value: 50 } }),
      ['redis-hit-rate info redis:instance'],
    ],
    ['PING p99 12 ms', (r) => Object.assign(r.latency!, { pingP99Ms: { ...r.latency!.pingP99Ms, value: 12 } }), ['redis-response-time info redis:instance']],
    ['PING p99 80 ms', (r) => Object.assign(r.latency!, { pingP99Ms: { ...r.latency!.pingP99Ms, value: 80 } }), ['redis-response-time warning redis:instance']],
    ['memory 92 % of maxmemory', (r) => Object.assign(r.memory!, { usedPercentOfMax: { ...r.memory!.usedPercentOfMax, value: 92 } }), ['redis-memory warning redis:instance']],
    ['memory 97 % of maxmemory', (r) => Object.assign(r.memory!, { usedPercentOfMax: { ...r.memory!.usedPercentOfMax, value: 97 } }), ['redis-memory critical redis:instance']],
    ['no maxmemory', (r) => Object.assign(r.memory!, { noLimit: true, maxmemoryBytes: { ...r.memory!.maxmemoryBytes, value: 0 }, usedPercentOfMax: { ...r.memory!.usedPercentOfMax, value: null } }), ['redis-memory info redis:instance']],
    ['fragmentation 1.6 with 96 MB wasted', (r) => Object.assign(r.memory!, { fragmentationRatio: { ...r.memory!.fragmentationRatio, value: 1.6 }, fragmentationBytes: { ...r.memory!.fragmentationBytes, value: 96 * MB } }), ['redis-fragmentation warning redis:instance']],
    ['fragmentation 1.6 with 8 MB wasted', (r) => Object.assign(r.memory!, { fragmentationRatio: { ...r.memory!.fragmentationRatio, value: 1.6 }, fragmentationBytes: { ...r.memory!.fragmentationBytes, value: 8 * MB } }), []],
    ['fragmentation 13 on a nearly empty instance (MEMORY DOCTOR does not judge)', (r) => Object.assign(r.memory!, { usedBytes: { ...r.memory!.usedBytes, value: 1 * MB }, fragmentationRatio: { ...r.memory!.fragmentationRatio, value: 13 }, fragmentationBytes: { ...r.memory!.fragmentationBytes, value: 11 * MB } }), []],
    ['fragmentation 0.7: swapping', (r) => Object.assign(r.memory!, { fragmentationRatio: { ...r.memory!.fragmentationRatio, value: 0.7 } }), ['redis-fragmentation critical redis:instance']],
    ['evictions during the window', (r) => Object.assign(r.stats!, { evictedKeysDuringWindow: { ...r.stats!.evictedKeysDuringWindow, value: 321 } }), ['redis-evictions warning redis:instance']],
    [
      '19,639 evicted since a start 6 minutes ago, none in the window: warning (recent)',
      (r) => {
        Object.assign(r.stats!, { evictedKeysSinceStart: { ...r.stats!.evictedKeysSinceStart, value: 19_639 } });
        r.server!.uptimeSeconds = 360;
      },
      ['redis-evictions warning redis:instance'],
    ],
    ['evicted since a start a day ago, none in the window: info', (r) => Object.assign(r.stats!, { evictedKeysSinceStart: { ...r.stats!.evictedKeysSinceStart, value: 500 } }), ['redis-evictions info redis:instance']],
    ['rejected connections during the window', (r) => Object.assign(r.stats!, { rejectedConnectionsDuringWindow: { ...r.stats!.rejectedConnectionsDuringWindow, value: 3 } }), ['redis-rejected-connections critical redis:instance']],
    ['rejected connections only before the window', (r) => Object.assign(r.stats!, { rejectedConnectionsSinceStart: { ...r.stats!.rejectedConnectionsSinceStart, value: 40 } }), ['redis-rejected-connections info redis:instance']],
    ['clients at 95 % of maxclients', (r) => Object.assign(r.clients!, { usedPercent: { ...r.clients!.usedPercent, value: 95 } }), ['redis-clients warning redis:instance']],
    [
      'slowlog: two EVALs and a KEYS over 10 ms, a GET under',
      (r) => {
        const entry = r.slowlog!.entries[0]!;
        r.slowlog!.entries = [
          { ...entry, id: 1, command: 'EVAL', durationMs: 250 },
          { ...entry, id: 2, command: 'EVAL', durationMs: 120 },
          { ...entry, id: 3, command: 'KEYS', durationMs: 40 },
          { ...entry, id: 4, command: 'GET', durationMs: 9 },
        ];
      },
      ['redis-slowlog warning redis:command:EVAL', 'redis-slowlog warning redis:command:KEYS'],
    ],
    ['server latency 2 ms per call', (r) => Object.assign(r.latency!, { serverAvgUsecPerCall: { ...r.latency!.serverAvgUsecPerCall, value: 2000 } }), ['redis-server-latency warning redis:instance']],
    ['server latency 5 ms per call', (r) => Object.assign(r.latency!, { serverAvgUsecPerCall: { ...r.latency!.serverAvgUsecPerCall, value: 5000 } }), ['redis-server-latency critical redis:instance']],
    ['last RDB save failed', (r) => Object.assign(r.persistence!, { rdbLastBgsaveStatus: 'err' }), ['redis-persistence critical redis:instance']],
    ['AOF write error', (r) => Object.assign(r.persistence!, { aofLastWriteStatus: 'err' }), ['redis-persistence critical redis:instance']],
    ['AOF error status while AOF is off (stale)', (r) => Object.assign(r.persistence!, { aofEnabled: false, aofLastWriteStatus: 'err' }), []],
    [
      'big keys of every judged type, and small ones',
      (r) => {
        r.keySample!.largestKeys = [
          { name: 'blob', type: 'string', size: 2_000_000, unit: 'bytes', memoryBytes: 2_100_000 },
          { name: 'small-string', type: 'string', size: 900_000, unit: 'bytes', memoryBytes: 950_000 },
          { name: 'h', type: 'hash', size: 5001, unit: 'fields', memoryBytes: 400_000 },
          { name: 'l', type: 'list', size: 1001, unit: 'elements', memoryBytes: 20_000 },
          { name: 's', type: 'set', size: 100_001, unit: 'members', memoryBytes: 5_000_000 },
          { name: 'z', type: 'zset', size: 150_000, unit: 'members', memoryBytes: 9_000_000 },
          { name: 'events', type: 'stream', size: 900_000, unit: 'entries', memoryBytes: 90_000_000 },
        ];
      },
      ['redis-big-keys warning redis:key:blob', 'redis-big-keys warning redis:key:h', 'redis-big-keys warning redis:key:l', 'redis-big-keys warning redis:key:s', 'redis-big-keys warning redis:key:z'],
    ],
    [
      'a big key with a very long name: subject truncated',
      (r) => {
        r.keySample!.largestKeys = [{ name: `user:${'x'.repeat(115)}`, type: 'list', size: 5000, unit: 'elements', memoryBytes: null }];
      },
      [`redis-big-keys warning redis:key:user:${'x'.repeat(74)}…`],
    ],
    ['queue backlog of 1,500 jobs, not growing', (r) => Object.assign(r.queues[0]!, { backlogAtStart: 1500, backlogAtEnd: 1500, backlogGrowthPerMin: { ...r.queues[0]!.backlogGrowthPerMin, value: 0 } }), ['redis-queue-backlog warning redis:queue:emails']],
    ['queue shrinking', (r) => Object.assign(r.queues[0]!, { backlogAtStart: 20, backlogAtEnd: 5, backlogGrowthPerMin: { ...r.queues[0]!.backlogGrowthPerMin, value: -180 } }), []],
    ['commands denied to the profiler', (r) => Object.assign(r.access, { commands: { ...r.access.commands, slowlog: false, memory: false } }), ['redis-access info redis:instance']],
  ])('%s', (_name, change, expected) => {
    expect(summary(buildRedisMetrics(change))).toEqual([...expected].sort());
  });

  it('a queue growing during the window is a warning naming the queue, with its flow', () => {
    const redis = buildRedisMetrics((r) => Object.assign(r.queues[0]!, { backlogAtStart: 10, backlogAtEnd: 40, backlogGrowthPerMin: { ...r.queues[0]!.backlogGrowthPerMin, value: 360 } }));
    const [finding] = run(redis).findings;
    expect(finding).toMatchObject({ ruleId: 'redis-queue-backlog', severity: 'warning', subject: 'redis:queue:emails', title: 'Queue emails growing' });
    expect(finding?.message).toMatch(/grew by 30 jobs .* backlog 10 -> 40; 240 jobs\/min in/);
    expect(finding?.recommendation).toMatch(/BullMQ workers of "emails"/);
  });

  it('slowlog findings name the command and its numbers, never arguments', () => {
    const redis = buildRedisMetrics((r) => {
      r.slowlog!.entries = [{ ...r.slowlog!.entries[0]!, command: 'EVAL', durationMs: 512.25, argumentCount: 2 }];
    });
    const [finding] = run(redis).findings;
    expect(finding?.message).toMatch(/1 EVAL call over 10 ms: slowest 512\.3 ms/);
    expect(finding?.evidence).toEqual({ metric: 'redis.slowlog.entries[EVAL].durationMs', value: 512.25, unit: 'ms', threshold: 10 });
    expect(finding?.recommendation).toMatch(/Lua scripts/);
  });

  it('messages carry numbers and units; recommendations name what was seen', () => {
    const redis = buildRedisMetrics((r) => Object.assign(r.memory!, { usedPercentOfMax: { ...r.memory!.usedPercentOfMax, value: 97 }, policy: 'noeviction' }));
    const [finding] = run(redis).findings;
    expect(finding?.message).toContain('(97.0 %, policy noeviction)');
    expect(finding?.recommendation).toMatch(/noeviction, writes fail with OOM errors/);
  });
});

describe('evictions since start are never read as none', () => {
  it('says how many keys were evicted since the recent start, even with none in the window', async () => {
    const { rule } = await import('../../../src/rules/redis/redis-evictions.js');
    const redis = buildRedisMetrics((r) => {
      Object.assign(r.stats!, { evictedKeysSinceStart: { ...r.stats!.evictedKeysSinceStart, value: 19_639 } });
      r.server!.uptimeSeconds = 360;
    });
    const [finding] = evaluateRule(rule, { artifacts: { redis: { status: 'ok', durationMs: 1, data: redis } }, thresholds: mergeThresholds() })!;
    expect(finding!.message).toContain('evicted no key during the');
    expect(finding!.message).toContain('but 19,639 keys since it started 6 min ago');
    expect(finding!.evidence).toMatchObject({ metric: 'redis.stats.evictedKeysSinceStart', value: 19_639 });
  });
});
