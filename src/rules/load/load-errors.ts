import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatFixed } from '../levels.js';
import { describeErrors, runLabel, runPath, runSubject } from '../lib/load-levels.js';

/**
 * Requests that failed under load (status, timeout, refused, reset) above the spec's success-rate
 * KPI (> 99.9 %). On the ladder: the first level that crossed it, a warning at or below the KPI
 * load (loadConcurrentUsers), info beyond it (overload past the KPI is expected to fail somewhere).
 * Each open-model rate is judged on its own.
 */
export const rule = defineRule({
  id: 'load-errors',
  component: 'api',
  category: 'api',
  description: 'Failed requests under load, by class, against the success-rate KPI.',
  requires: ['load'],
  check(context) {
    const load = context.data.load;
    if (load.ladder.length + load.rates.length === 0) return NOT_APPLICABLE;
    const limit = context.thresholds.loadErrorPercent.warning;
    const usersKpi = context.thresholds.loadConcurrentUsers.warning;
    const firstBad = [...load.ladder].sort((a, b) => (a.concurrency ?? 0) - (b.concurrency ?? 0)).find((run) => run.errorPercent > limit);
    const bad = [...(firstBad ? [firstBad] : []), ...load.rates.filter((run) => run.errorPercent > limit)];
    for (const run of bad) {
      const refusedAll = run.errors.refused === run.requests;
      const severity = run.model === 'closed' && (run.concurrency ?? 0) > usersKpi ? 'info' : 'warning';
      context.report({
        severity,
        category: refusedAll ? 'availability' : 'api',
        subject: runSubject(run),
        title: refusedAll ? `API refused every connection at ${load.baseUrl}` : `${formatFixed(run.errorPercent, 2)} % of requests failed at ${runLabel(run)}`,
        message:
          `At ${runLabel(run)} (${run.model} model) ${formatCount(run.errors.total)} of ${formatCount(run.requests)} requests failed ` +
          `(${formatFixed(run.errorPercent, 2)} %): ${describeErrors(run)}. The success-rate KPI allows at most ${limit} %.`,
        evidence: { metric: `${runPath(run)}.errorPercent`, value: run.errorPercent, unit: '%', threshold: limit },
        recommendation: refusedAll
          ? `Check that the API listens at ${load.baseUrl} (api.baseUrl) and that nothing in between (firewall, proxy) rejects the connections.`
          : recommendationFor(run.errors, runLabel(run)),
      });
    }
  },
});

function recommendationFor(errors: { byStatus: Record<string, number>; timeout: number; refused: number; reset: number }, label: string): string {
  const steps: string[] = [];
  const statuses = Object.keys(errors.byStatus);
  if (statuses.some((status) => status.startsWith('5'))) steps.push(`read the API's error log for the ${statuses.join('/')} responses at ${label}: pool exhaustion, timeouts to the database or cache, crashes of workers`);
  if (statuses.includes('429')) steps.push('a rate limiter answered 429: raise its limit for the load test or test below it');
  if (errors.timeout > 0) steps.push('timeouts mean requests queued longer than load.timeoutSeconds: add workers or find the slow dependency');
  if (errors.refused + errors.reset > 0) steps.push("refused or reset connections point at the listen backlog (somaxconn), the server's connection limit or a proxy's max connections");
  return `${steps.join('; ')}.`.replace(/^./, (first) => first.toUpperCase());
}
