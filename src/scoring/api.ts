import type { ApiMetrics } from '../contracts/api.js';
import type { Thresholds } from '../rules/thresholds.js';
import { endpointLevels } from '../rules/api-levels.js';
import { bandScore } from './bands.js';

/**
 * The specification's "Performance Score": each measured endpoint's p95 (and the login's) scored
 * on its response-time row (100 up to the target, 75 at the warning level, 40 at the critical
 * level, 0 at twice the critical level), their mean, and the error rate scored on the success-rate
 * KPI (100 at 0 %, 75 at 0.1 %, 40 at 1 %, 0 at 10 %); the score is the mean of the two.
 * Capacity against the KPIs joins it with the load test.
 */
export function apiScore(api: ApiMetrics, thresholds: Thresholds): { score: number; inputs: Record<string, number> } {
  if (!api.reachable) return { score: 0, inputs: { reachable: 0 } };
  const latencyScores: number[] = [];
  let requests = 0;
  let failed = 0;
  for (const endpoint of api.endpoints) {
    if (endpoint.skipped !== null || endpoint.requests === 0) continue;
    requests += endpoint.requests;
    failed += (endpoint.errorRatePercent / 100) * endpoint.requests;
    if (endpoint.latency.p95Ms === null) continue;
    const levels = endpointLevels(endpoint, thresholds);
    latencyScores.push(bandScore(endpoint.latency.p95Ms, { normal: levels.target, warning: levels.warning, critical: levels.critical, ceiling: levels.critical * 2 }));
  }
  const login = api.login;
  if (login && login.requests > 0) {
    requests += login.requests;
    failed += (login.errorRatePercent / 100) * login.requests;
    if (login.latency.p95Ms !== null) {
      const row = thresholds.apiLoginMs;
      latencyScores.push(bandScore(login.latency.p95Ms, { ...row, ceiling: row.critical * 2 }));
    }
  }
  const inputs: Record<string, number> = {};
  if (latencyScores.length > 0) inputs.latency = latencyScores.reduce((sum, value) => sum + value, 0) / latencyScores.length;
  if (requests > 0) {
    const rate = (failed / requests) * 100;
    const row = thresholds.apiErrorRatePercent;
    inputs.errors = bandScore(rate, { normal: 0, warning: row.warning, critical: row.critical, ceiling: row.critical * 10 });
  }
  const values = Object.values(inputs);
  return { score: values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length, inputs };
}
