import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, levelAbove, round } from '../levels.js';
import { databasesWith } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-slow-queries-per-hour',
  component: 'database',
  category: 'database',
  description: 'Calls per hour of statements whose mean is above 1000 ms (spec: slow queries per hour).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.statements);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      const rate = value.slowCallsPerHour.value;
      if (rate === null) continue;
      const crossed = levelAbove(rate, context.thresholds.slowQueriesPerHour);
      if (!crossed) continue;
      const slow = value.topByMeanTime.filter((statement) => statement.meanMs > value.slowMeanMs).map((statement) => statement.queryId);
      context.report({
        severity: crossed.severity,
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
      });
    }
  },
});
