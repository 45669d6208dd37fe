import type { PlanProblem, StatementPlan } from '../../contracts/postgres.js';
import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, round } from '../levels.js';
import { adviceForStatement, describeAdvice, noAdviceReason } from '../lib/postgres-advice.js';
import { databasesWith, shortQuery, where } from '../lib/postgres-common.js';

/** The share a statement is judged by: over the run's window when it ran enough there, else since the statistics reset. */
function shareOf(statement: StatementPlan, minCalls: number): { share: number; calls: number; basis: string; metric: string } | null {
  if (statement.window && statement.window.calls >= minCalls && statement.window.sharePercent !== null) {
    return { share: statement.window.sharePercent, calls: statement.window.calls, basis: "during the run's window", metric: 'window.sharePercent' };
  }
  if (statement.calls >= minCalls && statement.sharePercent !== null) {
    return { share: statement.sharePercent, calls: statement.calls, basis: 'since the statistics reset', metric: 'sharePercent' };
  }
  return null;
}

function describeProblem(problem: PlanProblem): string {
  if (problem.kind === 'seq-scan') {
    const rows = problem.tableRows !== null ? ` (${formatCount(problem.tableRows)} rows)` : '';
    return `a sequential scan of ${problem.table}${rows}${problem.filter ? ` filtered on ${problem.filter}` : ''}`;
  }
  return `a row misestimate in a ${problem.node}${problem.table ? ` on ${problem.table}` : ''} (estimated ${formatCount(problem.estimatedRows)}, actual ${formatCount(problem.actualRows ?? 0)})`;
}

export const rule = defineRule({
  id: 'postgres-query-plan',
  component: 'database',
  category: 'database',
  description:
    "One statement taking a large share of the database's time (>= 20 % over >= 100 calls) whose generic plan has a costly node (a sequential scan of a large table, a row misestimate): the statement, its share, the plan's problem and the index that fixes it.",
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.queryPlans);
    if (!found) return NOT_APPLICABLE;
    const { minCalls, warning } = context.thresholds.statementTimeShare;
    const { minRows } = context.thresholds.seqScanPercent;
    for (const { database, value } of found) {
      for (const statement of value.statements) {
        const share = shareOf(statement, minCalls);
        if (!share || share.share < warning) continue;
        const problems = statement.problems.filter((problem) => problem.kind === 'misestimate' || (problem.tableRows ?? 0) >= minRows);
        if (problems.length === 0) continue;
        const advice = adviceForStatement(database, statement.queryId);
        const scanned = problems.find((problem) => problem.kind === 'seq-scan');
        const reason = advice.length === 0 && scanned?.table ? noAdviceReason(database, statement, scanned.table) : null;
        const fix =
          advice.length > 0
            ? advice.map((entry) => describeAdvice(entry, statement.queryId)).join('; ')
            : `EXPLAIN (ANALYZE, BUFFERS) it with typical parameters and index the columns its filter reads${reason ? ` (${reason})` : ''}`;
        context.report({
          severity: 'warning' as const,
          subject: `postgres:query:${statement.queryId}`,
          title: `Query ${statement.queryId} takes ${formatPercent(share.share)} of the database time`,
          message:
            `Query ${statement.queryId}${where(database)} took ${formatPercent(share.share)} of all statement time ${share.basis} ` +
            `(${formatCount(share.calls)} calls; mean ${round(statement.meanMs, 1)} ms, ${round(statement.totalMs / 1000, 1)} s in total since the reset): ${shortQuery(statement.query)}. ` +
            `Its ${statement.method === 'explain-analyze' ? 'executed' : 'generic'} plan (cost ${formatCount(statement.totalCost ?? 0)}) has ${problems.map(describeProblem).join('; ')}.`,
          evidence: {
            metric: `postgres.databases[${database.name}].queryPlans.statements[${statement.queryId}].${share.metric}`,
            value: round(share.share, 1),
            unit: '%',
            threshold: warning,
          },
          recommendation: fix,
        });
      }
    }
  },
});
