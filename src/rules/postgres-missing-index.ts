import type { Rule } from '../contracts/rule.js';
import { formatCount, formatPercent, levelAbove, round } from './levels.js';
import { databasesWith, sqlName, where } from './postgres-common.js';

export const rule: Rule = {
  id: 'postgres-missing-index',
  component: 'database',
  category: 'database',
  description: 'Large tables read mostly by sequential scans (PgHero: < 95 % of scans use an index on >= 10,000 rows).',
  evaluate(context) {
    const found = databasesWith(context, (database) => database.tables);
    if (!found) return null;
    const { minRows, ...levels } = context.thresholds.seqScanPercent;
    return found.flatMap(({ database, value }) =>
      value.flatMap((table) => {
        if (table.liveTuples < minRows || table.indexScanPercent === null) return [];
        const seqPercent = 100 - table.indexScanPercent;
        const crossed = levelAbove(seqPercent, levels);
        if (!crossed) return [];
        return [
          {
            ruleId: rule.id,
            severity: crossed.severity,
            category: 'database' as const,
            subject: `postgres:table:${table.name}`,
            title: `Sequential scans on ${table.name}`,
            message:
              `${formatPercent(seqPercent)} of the scans of ${table.name}${where(database)} are sequential (${formatCount(table.seqScans)} sequential, ` +
              `${formatCount(table.indexScans)} index scans) on a table of ${formatCount(table.liveTuples)} live rows.`,
            evidence: { metric: `postgres.databases[${database.name}].tables[${table.name}].seqScanPercent`, value: round(seqPercent, 1), unit: '%', threshold: crossed.threshold },
            recommendation:
              `Find the queries that scan ${sqlName(table.name)} (pg_stat_statements: queries mentioning it, by total time) and EXPLAIN them; ` +
              `index the columns of their WHERE / JOIN clauses, e.g. CREATE INDEX CONCURRENTLY ON ${sqlName(table.name)} (<column>).`,
          },
        ];
      }),
    );
  },
};
