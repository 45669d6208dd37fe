import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { round } from '../levels.js';
import { ms, runLabel, runPath, runSubject } from '../lib/load-levels.js';

/**
 * A stall: the slowest request of a run waited longer than the p95 KPI while its p95 stayed within
 * it, at least STALL_RATIO times the run's p95 — a pause that stops every request in flight at
 * once (a blocked event loop, a stop-the-world GC, a lock), rare enough to hide from the
 * percentiles. A run in which our own generator's event loop stalled that long is left out: the
 * pause may be ours.
 */
/** The slowest request is at least this many times the run's p95. Design choice: queueing spreads latency over the tail (p99 a few times p95); twenty times p95 in one request is a pause, not a queue. */
export const STALL_RATIO = 20;
/** The generator's own event-loop delay at or above this share of the stall makes the run ours to explain, not the target's. Design choice: half the pause. */
export const GENERATOR_SHARE = 0.5;
/**
 * A pause in this many runs or more is a warning; in one run only it is info. Design choice: a pause
 * of the API (a timer, a scheduled job, GC) recurs, while one pause in one run can be the host's (another
 * job starving the CPU, a slow disk flush), and a gate that fails on that gets turned off.
 */
export const RECURRING_RUNS = 2;

export const rule = defineRule({
  id: 'load-latency-stalls',
  component: 'api',
  category: 'api',
  description: 'Requests that stalled during the load test: the slowest far above the p95 KPI while the p95 stays within it (a pause that stops every request at once).',
  requires: ['load'],
  check(context) {
    const load = context.data.load;
    if (load.ladder.length + load.rates.length === 0) return NOT_APPLICABLE;
    // the stall must be longer than the p95 KPI (spec KPI: API p95 < 500 ms) to matter to a user
    const kpi = context.thresholds.loadP95Ms.warning;
    const stalled = [...load.ladder, ...load.rates].filter((run) => {
      const { p95Ms, maxMs } = run.latency;
      if (p95Ms === null || maxMs === null || maxMs <= kpi || p95Ms > kpi) return false;
      if (maxMs < STALL_RATIO * Math.max(p95Ms, 0.001)) return false;
      return run.generator.eventLoopDelayMaxMs < GENERATOR_SHARE * maxMs;
    });
    if (stalled.length === 0) return;
    const worst = stalled.reduce((a, b) => ((b.latency.maxMs ?? 0) > (a.latency.maxMs ?? 0) ? b : a));
    const list = stalled.map((run) => `${runLabel(run)}: slowest ${ms(run.latency.maxMs ?? 0)}, p95 ${ms(run.latency.p95Ms ?? 0)}`).join('; ');
    const recurring = stalled.length >= RECURRING_RUNS;
    context.report({
      severity: recurring ? 'warning' : 'info',
      subject: runSubject(worst),
      title: recurring ? `Requests stalled for up to ${ms(worst.latency.maxMs ?? 0)} under load` : `Requests stalled once for ${ms(worst.latency.maxMs ?? 0)} under load`,
      message:
        `In ${stalled.length} of ${load.ladder.length + load.rates.length} load-test runs the slowest request took more than ${STALL_RATIO} times the p95 and longer than the p95 KPI (${kpi} ms) ` +
        `while the p95 stayed within it (${list}); the generator's own event loop did not stall that long. Something pauses every request in flight at once: the percentiles hide it, the users in that moment wait.` +
        (recurring ? '' : ` One pause in one run can also be the host's (another job starving the CPU, a slow disk flush): info until it recurs in ${RECURRING_RUNS} runs; run the load test again to see.`),
      evidence: { metric: `${runPath(worst)}.latency.maxMs`, value: round(worst.latency.maxMs ?? 0, 1), unit: 'ms', threshold: kpi },
      recommendation:
        'Find the pause in the API process: a synchronous loop or call that blocks the event loop (monitor event-loop delay, e.g. perf_hooks.monitorEventLoopDelay), ' +
        'stop-the-world garbage collection (--trace-gc), or a lock every request waits on; periodic pauses point to a timer or a scheduled job.',
    });
  },
});
