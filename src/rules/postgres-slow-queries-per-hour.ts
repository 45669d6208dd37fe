import type { Rule } from '../contracts/rule.js';
import { formatCount, levelAbove, round } from './levels.js';
import { databasesWith } from './postgres-common.js';

export const rule: Rule = {
  id: 'postgres-slow-queries-per-hour',
  component: 'database',
  category: 'database',
  description: 'Calls per hour of statements whose mean is above 1000 ms (spec: slow queries per hour).',
  evaluate(context) {
    const found = databasesWith(context, (database) => database.statements);
    if (!found) return null;
    return found.flatMap(({ database, value }) => {
      const rate = value.slowCallsPerHour.value;
      if (rate === null) return [];
      const crossed = levelAbove(rate, context.thresholds.slowQueriesPerHour);
      if (!crossed) return [];
      const slow = value.topByMeanTime.filter((statement) => statement.meanMs > value.slowMeanMs).map((statement) => statement.queryId);
      return [
        {
          ruleId: rule.id,
          severity: crossed.severity,
          category: 'database' as const,
          subject: `postgres:database:${database.name}`,
          title: `${formatCount(rate)} slow queries per hour`,
          message:
            `Statements slower than ${value.slowMeanMs} ms on average ran ${formatCount(rate)} times per hour in database ${database.name} since ${value.since ?? 'the statistics reset'}` +
            (slow.length > 0 ? ` (queries ${slow.join(', ')}).` : '.'),
          evidence: { metric: `postgres.databases[${database.name}].statements.slowCallsPerHour`, value: round(rate, 1), unit: 'calls/h', threshold: crossed.threshold },
          recommendation:
            slow.length > 0
              ? `EXPLAIN (ANALYZE, BUFFERS) queries ${slow.join(', ')} (text in the report's metrics.postgres statements.topByMeanTime) and index or rewrite them.`
              : 'Look at the top statements by mean time in pg_stat_statements.',
        },
      ];
    });
  },
};
