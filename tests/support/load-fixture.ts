import type { Artifacts } from '../../src/contracts/artifact.js';
import { evaluateRule } from '../../src/rules/engine.js';
import type { LatencySummary, LoadMetrics, LoadRunMetrics } from '../../src/contracts/load.js';
import type { Rule } from '../../src/contracts/rule.js';
import { mergeThresholds, type ThresholdOverrides } from '../../src/rules/thresholds.js';
import { findKnee } from '../../src/load/knee.js';

export function latency(p95Ms: number, samples = 1000): LatencySummary {
  return { samples, p50Ms: p95Ms / 2, p90Ms: p95Ms * 0.9, p95Ms, p99Ms: p95Ms * 1.5, maxMs: p95Ms * 2, meanMs: p95Ms / 2 };
}

/** A closed-model level: `concurrency` users, `throughputRps`, p95 and error share as given; a quiet generator. */
export function level(concurrency: number, throughputRps: number, p95Ms: number, errorPercent = 0): LoadRunMetrics {
  const requests = Math.round(throughputRps * 10);
  const failed = Math.round((requests * errorPercent) / 100);
  return {
    model: 'closed',
    concurrency,
    targetRps: null,
    connections: concurrency,
    durationMs: 10_000,
    requests,
    throughputRps,
    successRps: throughputRps * (1 - errorPercent / 100),
    errorPercent,
    errors: { total: failed, byStatus: failed > 0 ? { '503': failed } : {}, timeout: 0, refused: 0, reset: 0, other: 0 },
    latency: latency(p95Ms, requests),
    asSentLatency: null,
    late: null,
    dropped: null,
    lateThresholdMs: null,
    generator: { cpuPercent: 30, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 3, saturated: false, reason: null },
    stoppedBy: 'duration',
  };
}

/** An open-model rate with corrected and as-sent p99 as given. */
export function rate(targetRps: number, correctedP99Ms: number, asSentP99Ms: number): LoadRunMetrics {
  return {
    ...level(1, targetRps, correctedP99Ms / 1.5),
    model: 'open',
    concurrency: null,
    targetRps,
    connections: 2,
    latency: { ...latency(correctedP99Ms / 1.5), p99Ms: correctedP99Ms },
    asSentLatency: { ...latency(asSentP99Ms / 1.5), p99Ms: asSentP99Ms },
    late: 95,
    dropped: 0,
    lateThresholdMs: 10,
  };
}

/** A healthy ladder up to 200 users (capacity 100 users, 2,000 requests/s, broke on throughput at 200), plus one clean rate. */
export function buildLoadMetrics(change?: (load: LoadMetrics) => void): LoadMetrics {
  const load: LoadMetrics = {
    baseUrl: 'http://127.0.0.1:8000/',
    endpoints: ['GET /health', 'GET /api/v1/items'],
    skippedEndpoints: [{ name: 'GET /api/v1/user/profile', reason: 'needs the login token and the login gave none: login answered status 401' }],
    ladder: [level(1, 200, 6), level(10, 1000, 12), level(50, 1800, 40), level(100, 2000, 60), level(200, 2050, 130)],
    rates: [rate(100, 9, 8)],
    knee: null,
    skipped: [],
    totalRequests: 71_500,
    logins: 1,
    limits: {
      durationSeconds: 10,
      warmupSeconds: 1,
      maxTotalSeconds: 180,
      maxRequests: 5_000_000,
      timeoutSeconds: 10,
      connections: 100,
      generator: { cpuPercent: 90, eventLoopDelayMs: 50 },
    },
  };
  change?.(load);
  load.knee = findKnee(load.ladder, { p95Ms: 500, maxErrorPercent: 1, minGrowthPercent: 10 });
  return load;
}

export function loadArtifacts(change?: (load: LoadMetrics) => void): Artifacts {
  return { load: { status: 'ok', durationMs: 60_000, data: buildLoadMetrics(change) } };
}

export function evaluateLoad(rule: Rule, change?: (load: LoadMetrics) => void, thresholds?: ThresholdOverrides) {
  return evaluateRule(rule, { artifacts: loadArtifacts(change), thresholds: mergeThresholds(thresholds) });
}

/** subject, severity, value and threshold of each finding: what the tables compare */
export function brief(findings: ReturnType<typeof evaluateRule>) {
  return findings?.map((f) => ({ subject: f.subject, severity: f.severity, value: f.evidence.value, threshold: f.evidence.threshold })) ?? null;
}
