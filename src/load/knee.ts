/**
 * Capacity from the concurrency ladder: the knee. Pure (no I/O, no clock).
 *
 * Walking the levels in order of concurrency, a level is within capacity when
 *   - its p95 is at or below `criteria.p95Ms` (default 500 ms: the spec KPI "API p95 < 500 ms"),
 *   - its errors are below `criteria.maxErrorPercent` of its requests (default 1 %, issue 4), and
 *   - its throughput grew by at least `criteria.minGrowthPercent` over the previous level
 *     (default 10 %: more users that bring less than 10 % more requests/s only queue).
 * The capacity is the last level before the first one that breaks a criterion. A level whose
 * throughput stopped growing while the generator itself was saturated breaks for "generator":
 * the limit was the load generator, not the target.
 */
import type { KneeCriteria, KneeResult, LoadRunMetrics } from '../contracts/load.js';

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(1)} ms`;
const users = (n: number) => `${n} connection${n === 1 ? '' : 's'}`;

export function findKnee(levels: readonly LoadRunMetrics[], criteria: KneeCriteria): KneeResult | null {
  const ladder = levels
    .filter((level) => level.model === 'closed' && level.concurrency !== null && level.requests > 0)
    .sort((a, b) => (a.concurrency as number) - (b.concurrency as number));
  if (ladder.length === 0) return null;

  let capacity: KneeResult['capacity'] = null;
  let brokeAt: KneeResult['brokeAt'] = null;
  for (let i = 0; i < ladder.length; i++) {
    const level = ladder[i]!;
    const concurrency = level.concurrency as number;
    const p95 = level.latency.p95Ms;
    if (level.errorPercent >= criteria.maxErrorPercent) {
      brokeAt = {
        concurrency,
        reason: 'errors',
        detail: `${level.errorPercent.toFixed(2)} % of requests failed (limit < ${criteria.maxErrorPercent} %)`,
      };
      break;
    }
    if (p95 !== null && p95 > criteria.p95Ms) {
      brokeAt = { concurrency, reason: 'latency', detail: `p95 was ${ms(p95)} > ${criteria.p95Ms} ms` };
      break;
    }
    const previous = i > 0 ? ladder[i - 1]! : undefined;
    if (previous && previous.throughputRps > 0) {
      const growth = ((level.throughputRps - previous.throughputRps) / previous.throughputRps) * 100;
      if (growth < criteria.minGrowthPercent) {
        const saturated = level.generator.saturated;
        brokeAt = {
          concurrency,
          reason: saturated ? 'generator' : 'throughput',
          detail:
            `throughput grew only ${growth.toFixed(1)} % (${count(previous.throughputRps)} to ${count(level.throughputRps)} requests/s, ` +
            `needs >= ${criteria.minGrowthPercent} %)` +
            (saturated ? `; the load generator was saturated (${level.generator.reason ?? 'busy'}), so the limit may be the generator, not the target` : ''),
        };
        break;
      }
    }
    capacity = { concurrency, throughputRps: level.throughputRps, p95Ms: p95 };
  }

  let summary: string;
  if (capacity === null) {
    summary = `below ${users(ladder[0]!.concurrency as number)}: the first level already broke (${brokeAt?.detail ?? ''})`;
  } else {
    // the rate first: closed-model connections send without pause, they are not users
    summary = `about ${count(capacity.throughputRps)} requests/s within the SLO at ${users(capacity.concurrency)}`;
    summary += brokeAt
      ? `; at ${users(brokeAt.concurrency)} ${brokeAt.detail}`
      : `; not reached: the highest level tested (${users(ladder[ladder.length - 1]!.concurrency as number)}) was still within the criteria`;
  }
  return { criteria, capacity, brokeAt, summary };
}
