import type { PostgresDatabaseMetrics, TableStats } from '../../contracts/postgres.js';
import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, levelAbove, round } from '../levels.js';
import { adviceForTable, describeAdvice } from '../lib/postgres-advice.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

/**
 * Sequential scans that are a workload, not history: the most of those in the run's window, the calls
 * of the planned statements whose plan scans the table, and those since the reset beyond one per
 * index (each CREATE INDEX read the table once).
 */
function workloadScans(database: PostgresDatabaseMetrics, table: TableStats): { scans: number; statements: string[] } {
  const statements = (database.queryPlans?.statements ?? []).filter((statement) => statement.seqScannedTables.includes(table.name));
  const byStatements = statements.reduce((sum, statement) => sum + statement.calls, 0);
  const sinceReset = table.seqScans - (table.indexCount ?? 0);
  return { scans: Math.max(table.seqScansInWindow ?? 0, byStatements, sinceReset), statements: statements.map((statement) => statement.queryId) };
}

export const rule = defineRule({
  id: 'postgres-missing-index',
  component: 'database',
  category: 'database',
  description:
    'Large tables read mostly by sequential scans (PgHero: < 95 % of scans use an index on >= 10,000 rows), when those scans are a workload (not the scans that built its indexes, not a one-off).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.tables);
    if (!found) return NOT_APPLICABLE;
    const { minRows, minWorkloadScans, ...levels } = context.thresholds.seqScanPercent;
    for (const { database, value } of found) {
      for (const table of value) {
        if (table.liveTuples < minRows || table.indexScanPercent === null) continue;
        const seqPercent = 100 - table.indexScanPercent;
        const crossed = levelAbove(seqPercent, levels);
        if (!crossed) continue;
        const workload = workloadScans(database, table);
        if (workload.scans < minWorkloadScans) continue;
        const advice = adviceForTable(database, table.name);
        const recommendation =
          advice.length > 0
            ? advice.map((entry) => describeAdvice(entry)).join('; ')
            : workload.statements.length > 0
              ? `EXPLAIN the statements that scan ${sqlName(table.name)} (queries ${workload.statements.join(', ')} in metrics.postgres queryPlans) and index the columns their WHERE / JOIN clauses filter on` +
                ((database.queryPlans?.skipped ?? []).some((entry) => entry.table === table.name)
                  ? `; not suggested: ${database
                      .queryPlans!.skipped.filter((entry) => entry.table === table.name)
                      .map((entry) => `${entry.column} (${entry.reason})`)
                      .join('; ')}`
                  : '.')
              : `Find the statements that scan ${sqlName(table.name)} (pg_stat_statements, by total time) and EXPLAIN them; index the columns their WHERE / JOIN clauses filter on.`;
        context.report({
          severity: crossed.severity,
          subject: `postgres:table:${table.name}`,
          title: advice.length > 0 ? `Sequential scans on ${table.name}: index (${advice[0]!.columns.join(', ')})` : `Sequential scans on ${table.name}`,
          message:
            `${formatPercent(seqPercent)} of the scans of ${table.name}${where(database)} are sequential (${formatCount(table.seqScans)} sequential, ` +
            `${formatCount(table.indexScans)} index scans${table.seqScansInWindow !== undefined && table.seqScansInWindow !== null ? `, ${formatCount(table.seqScansInWindow)} sequential in the window` : ''}) on a table of ${formatCount(table.liveTuples)} live rows` +
            (workload.statements.length > 0 ? `; planned statements scanning it: ${workload.statements.join(', ')}.` : '.'),
          evidence: { metric: `postgres.databases[${database.name}].tables[${table.name}].seqScanPercent`, value: round(seqPercent, 1), unit: '%', threshold: crossed.threshold },
          recommendation,
        });
      }
    }
  },
});
