import type { RedisMetrics } from '../contracts/redis.js';
import type { Thresholds } from '../contracts/thresholds.js';
import { bandScore } from './bands.js';

/**
 * The cache component from the specification's inputs: availability, hit rate and response
 * time, plus memory against maxmemory (the spec's fourth cache row). Each is scored on its
 * row of the spec's cache table (excellent / good / needs improvement as normal / warning /
 * critical) and the component is their mean. An unreachable cache is not scored here: the
 * caller gives it 0.
 */
export function cacheScore(redis: RedisMetrics, thresholds: Thresholds): { score: number; inputs: Record<string, number> } {
  const inputs: Record<string, number> = {};
  const latency = redis.latency;
  if (latency && latency.pingSamples > 0) {
    // spec availability row: 99.9 % excellent, 99 % good, < 95 % needs improvement (as failure shares)
    const failurePercent = (latency.pingFailures / latency.pingSamples) * 100;
    inputs.availability = bandScore(failurePercent, { normal: 0.1, warning: 1, critical: thresholds.redisPingFailurePercent.warning, ceiling: 100 });
  }
  const stats = redis.stats;
  const hitRate = stats?.hitRatePercent.value ?? stats?.hitRateSinceStartPercent.value ?? null;
  if (hitRate !== null) {
    // spec hit rate row: > 95 % excellent, > 85 % good, < 70 % needs improvement (as miss rates)
    inputs.hitRate = bandScore(100 - hitRate, {
      normal: thresholds.redisMissRatePercent.normal,
      warning: 15,
      critical: thresholds.redisMissRatePercent.info,
      ceiling: 100,
    });
  }
  const p99 = latency?.pingP99Ms.value ?? null;
  if (p99 !== null) {
    // spec response time row: < 5 ms excellent, < 20 ms good, > 50 ms needs improvement; 10x that is as bad as it gets
    inputs.responseTime = bandScore(p99, { normal: thresholds.redisPingP99Ms.normal, warning: 20, critical: thresholds.redisPingP99Ms.warning, ceiling: 500 });
  }
  const memory = redis.memory?.usedPercentOfMax.value ?? null;
  if (memory !== null) inputs.memory = bandScore(memory, { ...thresholds.redisMemoryPercent, ceiling: 100 });
  const values = Object.values(inputs);
  const score = values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
  return { score, inputs };
}
