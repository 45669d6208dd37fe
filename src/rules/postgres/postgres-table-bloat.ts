import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes, formatCount, formatPercent, levelAbove } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

/**
 * Tables whose estimated wasted space (pages beyond what their rows need, from the planner's
 * reltuples and pg_stats widths) is above check_postgres's `bloat` defaults: 1 GB warning,
 * 5 GB critical. An estimate, as check_postgres's is: the recommendation says how to confirm it.
 */
export const rule = defineRule({
  id: 'postgres-table-bloat',
  component: 'database',
  category: 'database',
  description: 'Tables with more than 1 GB (warning) / 5 GB (critical) of estimated wasted space (check_postgres bloat defaults).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.tables);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const table of value) {
        if (table.bloatBytes === null) continue;
        const crossed = levelAbove(table.bloatBytes, context.thresholds.tableBloatBytes);
        if (!crossed) continue;
        const share = table.sizeBytes > 0 ? (table.bloatBytes / table.sizeBytes) * 100 : null;
        const name = sqlName(table.name);
        context.report({
          severity: crossed.severity,
          subject: `postgres:table:${table.name}`,
          title: `Table ${table.name} is bloated`,
          message:
            `${table.name}${where(database)} wastes an estimated ${formatBytes(table.bloatBytes)}` +
            `${share === null ? '' : ` (${formatPercent(share)} of its ${formatBytes(table.sizeBytes)} with indexes and TOAST)`}: ` +
            `pages beyond what its ${formatCount(table.liveTuples)} live rows need; ${formatCount(table.deadTuples)} dead tuples, ` +
            `last vacuum ${table.lastAutovacuum ?? table.lastVacuum ?? 'never'}.`,
          evidence: { metric: `postgres.databases[${database.name}].tables[${table.name}].bloatBytes`, value: table.bloatBytes, unit: 'bytes', threshold: crossed.threshold },
          recommendation:
            `Confirm with pgstattuple (CREATE EXTENSION pgstattuple; SELECT * FROM pgstattuple_approx('${name.replaceAll("'", "''")}')), then give the space back without blocking writes: ` +
            `pg_repack --table=${name} (VACUUM FULL ${name} does the same but holds an ACCESS EXCLUSIVE lock for the whole rewrite). ` +
            `Keep it from coming back: ALTER TABLE ${name} SET (autovacuum_vacuum_scale_factor = 0.05), and look for long transactions that hold back cleanup.`,
        });
      }
    }
  },
});
