import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, levelAbove, round } from '../levels.js';
import { databasesWith, shortQuery, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-slow-statements',
  component: 'database',
  category: 'database',
  description: 'Statements in pg_stat_statements slow on average (PgHero: mean >= 20 ms over >= 100 calls).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.statements);
    if (!found) return NOT_APPLICABLE;
    const { minCalls, ...levels } = context.thresholds.statementMeanMs;
    for (const { database, value } of found) {
      for (const statement of value.topByMeanTime) {
        if (statement.calls < minCalls) continue;
        const crossed = levelAbove(statement.meanMs, levels);
        if (!crossed) continue;
        context.report({
          severity: crossed.severity,
          subject: `postgres:query:${statement.queryId}`,
          title: `Slow query (mean ${round(statement.meanMs, 1)} ms)`,
          message:
            `Query ${statement.queryId}${where(database)} averages ${round(statement.meanMs, 1)} ms over ${formatCount(statement.calls)} calls ` +
            `(${round(statement.totalMs / 1000, 1)} s in total, ${round(statement.sharePercent, 1)} % of all statement time): ${shortQuery(statement.query)}.`,
          evidence: { metric: `postgres.databases[${database.name}].statements[${statement.queryId}].meanMs`, value: round(statement.meanMs, 1), unit: 'ms', threshold: crossed.threshold },
          recommendation:
            `EXPLAIN (ANALYZE, BUFFERS) this query with typical parameters: ${shortQuery(statement.query, 200)} — ` +
            'look for sequential scans on large tables (add the index), sorts spilling to disk (work_mem) and row estimates far from the actual rows (ANALYZE).',
        });
      }
    }
  },
});
