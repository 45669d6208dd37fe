import { describe, expect, test } from '@jest/globals';
import { apiScore, capacityScore } from '../../src/scoring/api.js';
import { computeScores } from '../../src/scoring/index.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import { healthyApi } from '../support/api-fixture.js';
import { buildLoadMetrics, level } from '../support/load-fixture.js';

const thresholds = mergeThresholds({});

describe('performance score: capacity against the KPIs', () => {
  test('a ladder that meets every KPI scores 100 on capacity; users only with a think time', () => {
    // capacity 2,000 requests/s at 100 connections, no errors: connections sending without pause are not users
    expect(capacityScore(buildLoadMetrics(), thresholds)).toEqual({ score: 100, parts: { requestsPerSecond: 100, success: 100 } });
    // with a think time of 1 s, 2,000 requests/s serve thousands of users (Little's law)
    const capacity = capacityScore(buildLoadMetrics((metrics) => (metrics.thinkTimeSeconds = 1)), thresholds);
    expect(capacity).toEqual({ score: 100, parts: { users: 100, requestsPerSecond: 100, success: 100 } });
  });

  test('below the KPIs: users and requests/s scale with the share of the KPI reached; errors on the error-rate band', () => {
    const load = buildLoadMetrics((metrics) => {
      // knee at 25 users, 300 requests/s; at 50 users p95 breaks 500 ms; exactly 0.1 % failed up to the KPI load
      metrics.ladder = [level(1, 100, 20, 0.1), level(25, 300, 300, 0.1), level(50, 400, 900, 0.1)];
      metrics.rates = [];
    });
    const capacity = capacityScore(load, thresholds)!;
    expect(capacity.parts.users).toBeUndefined();
    expect(capacity.parts.requestsPerSecond).toBeCloseTo(60, 6);
    expect(capacity.parts.success).toBeCloseTo(75, 6);
    expect(capacity.score).toBeCloseTo((60 + 75) / 2, 6);
    // think time 0.1 s, mean response 150 ms at the knee: 300 x 0.25 = 75 users
    load.thinkTimeSeconds = 0.1;
    const withUsers = capacityScore(load, thresholds)!;
    expect(withUsers.parts.users).toBeCloseTo(75, 6);
    expect(withUsers.score).toBeCloseTo((75 + 60 + 75) / 3, 6);
  });

  test('what the run cannot tell is left out: a generator-limited ladder, or one that ended below the KPI without breaking', () => {
    const generatorLimited = buildLoadMetrics((metrics) => {
      metrics.ladder = [level(1, 50, 5), level(10, 400, 6), level(20, 410, 6)];
      metrics.ladder[2]!.generator = { cpuPercent: 99, eventLoopDelayP99Ms: 80, eventLoopDelayMaxMs: 120, saturated: true, reason: 'generator CPU 99 %' };
      metrics.rates = [];
    });
    expect(generatorLimited.knee?.brokeAt?.reason).toBe('generator');
    expect(capacityScore(generatorLimited, thresholds)?.parts).toEqual({ success: 100 });

    const short = buildLoadMetrics((metrics) => {
      metrics.ladder = [level(1, 100, 5), level(10, 1000, 6)];
      metrics.rates = [];
    });
    expect(short.knee?.brokeAt).toBeNull();
    // 1,000 requests/s >= the KPI is known; 10 users says nothing about 100
    expect(capacityScore(short, thresholds)?.parts).toEqual({ requestsPerSecond: 100, success: 100 });

    expect(capacityScore(buildLoadMetrics((metrics) => ((metrics.ladder = []), (metrics.rates = []))), thresholds)).toBeNull();
  });

  test('levels beyond the KPI load are overload: their errors do not count', () => {
    const load = buildLoadMetrics((metrics) => {
      metrics.ladder = [level(50, 1000, 20), level(100, 2000, 40), level(200, 1500, 900, 30)];
      metrics.rates = [];
    });
    expect(capacityScore(load, thresholds)?.parts.success).toBe(100);
  });

  test('joins the performance score as a third input, named in the basis', () => {
    const api = healthyApi();
    const without = apiScore(api, thresholds);
    expect(Object.keys(without.inputs)).toEqual(['latency', 'errors']);
    const weak = buildLoadMetrics((metrics) => {
      metrics.ladder = [level(1, 50, 20), level(25, 250, 300), level(50, 260, 900)];
      metrics.rates = [];
    });
    const withLoad = apiScore(api, thresholds, weak);
    expect(withLoad.inputs.capacity).toBeCloseTo((50 + 100) / 2, 6);
    expect(withLoad.score).toBeCloseTo((without.inputs.latency! + without.inputs.errors! + withLoad.inputs.capacity!) / 3, 6);

    const scores = computeScores({
      artifacts: { api: { status: 'ok', durationMs: 1, data: api }, load: { status: 'ok', durationMs: 1, data: weak } },
      findings: [],
      thresholds,
      configured: { database: false, system: false, cache: false, api: true },
    });
    expect(scores.performance).toBeCloseTo(Math.round(withLoad.score * 10) / 10, 6);
    expect(scores.components.api.basis).toBe('latency 100, errors 100, capacity 75 (requestsPerSecond 50, success 100)');
  });
});
