/** Helpers shared by the load-test rules (not a rule itself). Pure. */
import type { LoadMetrics, LoadRunMetrics } from '../../contracts/load.js';
import { formatCount } from '../levels.js';

/** "ladder[concurrency=25]" or "rates[rate=100]": where a run is in the report */
export function runPath(run: LoadRunMetrics): string {
  return run.model === 'closed' ? `load.ladder[concurrency=${run.concurrency}]` : `load.rates[rate=${run.targetRps}]`;
}

/** "25 users" or "100 requests/s" */
export function runLabel(run: LoadRunMetrics): string {
  return run.model === 'closed' ? `${run.concurrency} concurrent user${run.concurrency === 1 ? '' : 's'}` : `${formatCount(run.targetRps ?? 0)} requests/s`;
}

export function runSubject(run: LoadRunMetrics): string {
  return run.model === 'closed' ? 'load:ladder' : `load:rate:${run.targetRps}`;
}

/** "12 timeouts, 3 refused, 40 x 503" */
export function describeErrors(run: LoadRunMetrics): string {
  const parts: string[] = [];
  const e = run.errors;
  for (const [status, n] of Object.entries(e.byStatus)) parts.push(`${formatCount(n)} x HTTP ${status}`);
  if (e.timeout > 0) parts.push(`${formatCount(e.timeout)} timed out`);
  if (e.refused > 0) parts.push(`${formatCount(e.refused)} refused`);
  if (e.reset > 0) parts.push(`${formatCount(e.reset)} reset`);
  if (e.other > 0) parts.push(`${formatCount(e.other)} other errors`);
  return parts.join(', ');
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * The capacity as the highest sustainable request rate within the SLO (the knee), and, only with a
 * think time, the concurrent users it serves by Little's law: users = rate x (think time + response
 * time), the response time being the mean latency at the knee (its p95 when the mean is unknown).
 */
export function sustainableCapacity(load: LoadMetrics): { rps: number; p95Ms: number | null; users: number | null; responseMs: number | null; thinkTimeSeconds: number | null } | null {
  const capacity = load.knee?.capacity;
  if (!capacity) return null;
  const atKnee = load.ladder.find((run) => run.concurrency === capacity.concurrency);
  const responseMs = atKnee?.latency.meanMs ?? capacity.p95Ms ?? null;
  const think = load.thinkTimeSeconds ?? null;
  const users = think === null || responseMs === null ? null : Math.floor(capacity.throughputRps * (think + responseMs / 1000));
  return { rps: capacity.throughputRps, p95Ms: capacity.p95Ms, users, responseMs, thinkTimeSeconds: think };
}
