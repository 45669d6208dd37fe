import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { round } from '../levels.js';
import { ms, runLabel, runPath, runSubject } from '../lib/load-levels.js';

/**
 * Latency under load. The first ladder level (and every open-model rate) whose p95 exceeds the
 * KPI (loadP95Ms): a warning at or below the KPI load of loadConcurrentUsers, info beyond it.
 * Otherwise, p95 growing by more than loadLatencyGrowth times from the first level to the last is
 * info: requests queue as users are added.
 */
export const rule = defineRule({
  id: 'load-latency-growth',
  component: 'api',
  category: 'api',
  description: 'p95 latency under load against the KPI, and how much it grows along the ladder.',
  requires: ['load'],
  check(context) {
    const load = context.data.load;
    if (load.ladder.length + load.rates.length === 0) return NOT_APPLICABLE;
    const kpi = context.thresholds.loadP95Ms.warning;
    const usersKpi = context.thresholds.loadConcurrentUsers.warning;
    const ladder = [...load.ladder].filter((run) => run.latency.p95Ms !== null).sort((a, b) => (a.concurrency ?? 0) - (b.concurrency ?? 0));
    const slow = ladder.find((run) => (run.latency.p95Ms as number) > kpi);
    const over = [...(slow ? [slow] : []), ...load.rates.filter((run) => run.latency.p95Ms !== null && run.latency.p95Ms > kpi)];
    for (const run of over) {
      const p95 = run.latency.p95Ms as number;
      context.report({
        severity: run.model === 'closed' && (run.concurrency ?? 0) > usersKpi ? 'info' : 'warning',
        subject: runSubject(run),
        title: `p95 ${ms(p95)} at ${runLabel(run)}`,
        message:
          `At ${runLabel(run)} (${run.model} model${run.model === 'open' ? ', measured from each intended start' : ''}) p95 was ${ms(p95)} ` +
          `(p50 ${ms(run.latency.p50Ms ?? 0)}, p99 ${ms(run.latency.p99Ms ?? 0)}, ${run.latency.samples} requests); the KPI is p95 < ${kpi} ms.`,
        evidence: { metric: `${runPath(run)}.latency.p95Ms`, value: round(p95, 1), unit: 'ms', threshold: kpi },
        recommendation: `Profile the API at ${runLabel(run)}: compare its CPU with the database and cache timings of this report; queueing in front of a saturated worker pool or connection pool shows as latency that grows with load.`,
      });
    }
    if (!slow && ladder.length >= 2) {
      const first = ladder[0]!;
      const last = ladder[ladder.length - 1]!;
      const ratio = (last.latency.p95Ms as number) / Math.max(first.latency.p95Ms as number, 0.001);
      const limit = context.thresholds.loadLatencyGrowth.info;
      if (ratio > limit) {
        context.report({
          severity: 'info',
          subject: 'load:ladder',
          title: `p95 grew ${round(ratio, 1)}x from ${first.concurrency} to ${last.concurrency} users`,
          message: `p95 rose from ${ms(first.latency.p95Ms as number)} at ${runLabel(first)} to ${ms(last.latency.p95Ms as number)} at ${runLabel(last)} (${round(ratio, 1)}x): requests queue as users are added.`,
          evidence: { metric: `${runPath(last)}.latency.p95Ms / ${runPath(first)}.latency.p95Ms`, value: round(ratio, 1), unit: 'x', threshold: limit },
          recommendation: `See where the time goes at ${last.concurrency} users (API worker count, database pool, slow queries); the knee (${load.knee?.summary ?? 'n/a'}) says where it stops scaling.`,
        });
      }
    }
  },
});
