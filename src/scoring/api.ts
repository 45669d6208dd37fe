import type { ApiMetrics } from '../contracts/api.js';
import type { LoadMetrics } from '../contracts/load.js';
import type { Thresholds } from '../contracts/thresholds.js';
import { endpointLevels } from '../rules/lib/api-levels.js';
import { sustainableCapacity } from '../rules/lib/load-levels.js';
import { bandScore } from './bands.js';

/**
 * The specification's "Performance Score": each measured endpoint's p95 (and the login's) scored
 * on its response-time row (100 up to the target, 75 at the warning level, 40 at the critical
 * level, 0 at twice the critical level), their mean, and the error rate scored on the success-rate
 * KPI (100 at 0 %, 75 at 0.1 %, 40 at 1 %, 0 at 10 %); with a load test, capacity against the KPIs
 * (capacityScore) is a third input; the score is the mean of the inputs.
 */
export function apiScore(api: ApiMetrics, thresholds: Thresholds, load?: LoadMetrics): { score: number; inputs: Record<string, number>; capacity?: CapacityScore } {
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
  const capacity = load ? capacityScore(load, thresholds) : null;
  if (capacity) inputs.capacity = capacity.score;
  const values = Object.values(inputs);
  return { score: values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length, inputs, ...(capacity ? { capacity } : {}) };
}

export interface CapacityScore {
  /** mean of the parts */
  score: number;
  /** users: knee users / KPI; requestsPerSecond: knee requests/s / KPI; success: load errors on the error-rate band */
  parts: Partial<Record<'users' | 'requestsPerSecond' | 'success', number>>;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Capacity from the load test against the spec KPIs (> 100 concurrent users, > 500 requests/s
 * sustained, success rate > 99.9 %), each part 0-100, their mean:
 * - users: 100 x min(1, users / loadConcurrentUsers), only with load.thinkTimeSeconds (users = requests/s at the knee x (think time + response time), Little's law);
 * - requestsPerSecond: 100 x min(1, requests/s at the knee / loadThroughputRps);
 * - success: the failed share of the requests at levels up to the KPI load (and of every
 *   open-model rate) on the API error-rate band (100 at 0 %, 75 at 0.1 %, 40 at 1 %, 0 at 10 %);
 *   levels beyond the KPI load are overload, allowed to fail.
 * A part is left out when the run cannot tell: users and requests/s when the generator, not the
 * target, was the limit, or when the ladder ended without breaking below the KPI (capacity not
 * found yet). Null when no part is left (no level ran).
 */
export function capacityScore(load: LoadMetrics, thresholds: Thresholds): CapacityScore | null {
  const parts: CapacityScore['parts'] = {};
  const usersKpi = thresholds.loadConcurrentUsers.warning;
  const rpsKpi = thresholds.loadThroughputRps.warning;
  const knee = load.knee;
  if (knee && load.ladder.length > 0 && knee.brokeAt?.reason !== 'generator') {
    const broke = knee.brokeAt !== null;
    const capacity = sustainableCapacity(load);
    const rps = capacity?.rps ?? 0;
    // users only with a think time (Little's law): closed-model connections are not users
    const users = capacity?.users ?? null;
    if (users !== null && (broke || users >= usersKpi)) parts.users = 100 * Math.min(1, users / usersKpi);
    if (broke || rps >= rpsKpi) parts.requestsPerSecond = 100 * Math.min(1, rps / rpsKpi);
  }
  const judged = [...load.ladder.filter((run) => (run.concurrency ?? 0) <= usersKpi), ...load.rates];
  const requests = judged.reduce((sum, run) => sum + run.requests, 0);
  if (requests > 0) {
    const failed = judged.reduce((sum, run) => sum + run.errors.total, 0);
    const row = thresholds.apiErrorRatePercent;
    parts.success = bandScore((failed / requests) * 100, { normal: 0, warning: row.warning, critical: row.critical, ceiling: row.critical * 10 });
  }
  const values = Object.values(parts);
  return values.length === 0 ? null : { score: mean(values), parts };
}
