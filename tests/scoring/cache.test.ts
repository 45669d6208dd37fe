import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/contracts/finding.js';
import type { RedisMetrics } from '../../src/contracts/redis.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import { cacheScore } from '../../src/scoring/cache.js';
import { computeScores } from '../../src/scoring/index.js';
import { buildRedisMetrics } from '../support/redis-fixture.js';

const thresholds = mergeThresholds();
const configured = { database: false, system: false, cache: true, api: false };
const scoresFor = (redis: RedisMetrics, findings: Finding[] = []) =>
  computeScores({ artifacts: { redis: { status: 'ok', durationMs: 1, data: redis } }, findings, thresholds, configured });

describe('cache score', () => {
  it('scores availability, hit rate, response time and memory on the spec cache rows', () => {
    const { score, inputs } = cacheScore(buildRedisMetrics(), thresholds);
    expect(inputs).toEqual({ availability: 100, hitRate: 100, responseTime: 100, memory: 100 });
    expect(score).toBe(100);
  });

  it('falls with a hit rate at the spec "needs improvement" line (70 %) to 40 on that input', () => {
    const redis = buildRedisMetrics((r) => Object.assign(r.stats!, { hitRatePercent: { ...r.stats!.hitRatePercent, value: 70 } }));
    expect(cacheScore(redis, thresholds).inputs.hitRate).toBeCloseTo(40, 5);
    expect(cacheScore(redis, thresholds).inputs.hitRate).toBeLessThan(cacheScore(buildRedisMetrics(), thresholds).inputs.hitRate!);
  });

  it('an unreachable cache scores 0 and weighs in the health score', () => {
    const redis = buildRedisMetrics((r) => Object.assign(r, { reachable: false, server: null, error: 'connect ECONNREFUSED 127.0.0.1:6379' }));
    const scores = scoresFor(redis);
    expect(scores.components.cache).toEqual({ score: 0, configured: true, basis: 'unreachable: connect ECONNREFUSED 127.0.0.1:6379' });
    expect(scores.weights.cache).toBe(1);
    expect(scores.health).toBe(0);
  });

  it('is capped by its findings like the system score', () => {
    const finding: Finding = {
      ruleId: 'redis-evictions',
      severity: 'warning',
      category: 'cache',
      subject: 'redis:instance',
      title: 't',
      message: 'm',
      evidence: { metric: 'x', value: 1, unit: 'keys', threshold: 0 },
      recommendation: 'r',
    };
    const scores = scoresFor(buildRedisMetrics(), [finding]);
    expect(scores.components.cache.score).toBe(75);
    expect(scores.components.cache.basis).toMatch(/capped by findings/);
  });
});
