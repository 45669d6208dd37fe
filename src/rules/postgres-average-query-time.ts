import type { Rule } from '../contracts/rule.js';
import { formatCount, levelAbove, round } from './levels.js';
import { databasesWith, shortQuery } from './postgres-common.js';

export const rule: Rule = {
  id: 'postgres-average-query-time',
  component: 'database',
  category: 'database',
  description: 'Mean time per statement over every statement in pg_stat_statements (spec: average query time).',
  evaluate(context) {
    const found = databasesWith(context, (database) => database.statements);
    if (!found) return null;
    return found.flatMap(({ database, value }) => {
      const average = value.averageMs.value;
      if (average === null) return [];
      const crossed = levelAbove(average, context.thresholds.averageQueryMs);
      if (!crossed) return [];
      const heaviest = value.topByTotalTime[0];
      return [
        {
          ruleId: rule.id,
          severity: crossed.severity,
          category: 'database' as const,
          subject: `postgres:database:${database.name}`,
          title: `Average query time ${round(average, 1)} ms`,
          message:
            `Statements in database ${database.name} average ${round(average, 1)} ms over ${formatCount(value.totalCalls)} calls since ${value.since ?? 'the statistics reset'}` +
            (heaviest ? `; the heaviest, query ${heaviest.queryId}, takes ${round(heaviest.sharePercent, 1)} % of the time.` : '.'),
          evidence: { metric: `postgres.databases[${database.name}].statements.averageMs`, value: round(average, 1), unit: 'ms', threshold: crossed.threshold },
          recommendation: heaviest
            ? `Start with query ${heaviest.queryId} (${shortQuery(heaviest.query, 100)}): EXPLAIN (ANALYZE, BUFFERS) it and index what it filters on.`
            : 'Look at the top statements by total time in pg_stat_statements.',
        },
      ];
    });
  },
};
