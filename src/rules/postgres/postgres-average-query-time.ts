import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, levelAbove, round } from '../levels.js';
import { databasesWith, shortQuery } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-average-query-time',
  component: 'database',
  category: 'database',
  description: 'Mean time per statement over every statement in pg_stat_statements (spec: average query time).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.statements);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      const average = value.averageMs.value;
      if (average === null) continue;
      const crossed = levelAbove(average, context.thresholds.averageQueryMs);
      if (!crossed) continue;
      const heaviest = value.topByTotalTime[0];
      context.report({
        severity: crossed.severity,
        subject: `postgres:database:${database.name}`,
        title: `Average query time ${round(average, 1)} ms`,
        message:
          `Statements in database ${database.name} average ${round(average, 1)} ms over ${formatCount(value.totalCalls)} calls since ${value.since ?? 'the statistics reset'}` +
          (heaviest ? `; the heaviest, query ${heaviest.queryId}, takes ${round(heaviest.sharePercent, 1)} % of the time.` : '.'),
        evidence: { metric: `postgres.databases[${database.name}].statements.averageMs`, value: round(average, 1), unit: 'ms', threshold: crossed.threshold },
        recommendation: heaviest
          ? `Start with query ${heaviest.queryId} (${shortQuery(heaviest.query, 100)}): EXPLAIN (ANALYZE, BUFFERS) it and index what it filters on.`
          : 'Look at the top statements by total time in pg_stat_statements.',
      });
    }
  },
});
