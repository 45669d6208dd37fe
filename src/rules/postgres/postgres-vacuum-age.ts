import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, levelAbove, round } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-vacuum-age',
  component: 'database',
  category: 'database',
  description: 'Changed tables that (auto)vacuum has not visited for 10 days.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.tables);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const table of value) {
        if (table.vacuumAgeDays === null || table.modificationsSinceAnalyze === 0) continue;
        const crossed = levelAbove(table.vacuumAgeDays, context.thresholds.vacuumAgeDays);
        if (!crossed) continue;
        context.report({
          severity: crossed.severity,
          subject: `postgres:table:${table.name}`,
          title: `${table.name} not vacuumed for ${Math.floor(table.vacuumAgeDays)} days`,
          message: `${table.name}${where(database)} was last vacuumed ${round(table.vacuumAgeDays, 1)} days ago and has ${formatCount(table.modificationsSinceAnalyze)} changed rows since its last analyze.`,
          evidence: { metric: `postgres.databases[${database.name}].tables[${table.name}].vacuumAgeDays`, value: round(table.vacuumAgeDays, 1), unit: 'days', threshold: crossed.threshold },
          recommendation: `Run VACUUM (ANALYZE) ${sqlName(table.name)}; and check why autovacuum skips it (autovacuum_enabled in its reloptions, autovacuum workers busy, long transactions).`,
        });
      }
    }
  },
});
