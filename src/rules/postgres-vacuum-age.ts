import type { Rule } from '../contracts/rule.js';
import { formatCount, levelAbove, round } from './levels.js';
import { databasesWith, sqlName, where } from './postgres-common.js';

export const rule: Rule = {
  id: 'postgres-vacuum-age',
  component: 'database',
  category: 'database',
  description: 'Changed tables that (auto)vacuum has not visited for 10 days.',
  evaluate(context) {
    const found = databasesWith(context, (database) => database.tables);
    if (!found) return null;
    return found.flatMap(({ database, value }) =>
      value.flatMap((table) => {
        if (table.vacuumAgeDays === null || table.modificationsSinceAnalyze === 0) return [];
        const crossed = levelAbove(table.vacuumAgeDays, context.thresholds.vacuumAgeDays);
        if (!crossed) return [];
        return [
          {
            ruleId: rule.id,
            severity: crossed.severity,
            category: 'database' as const,
            subject: `postgres:table:${table.name}`,
            title: `${table.name} not vacuumed for ${Math.floor(table.vacuumAgeDays)} days`,
            message: `${table.name}${where(database)} was last vacuumed ${round(table.vacuumAgeDays, 1)} days ago and has ${formatCount(table.modificationsSinceAnalyze)} changed rows since its last analyze.`,
            evidence: { metric: `postgres.databases[${database.name}].tables[${table.name}].vacuumAgeDays`, value: round(table.vacuumAgeDays, 1), unit: 'days', threshold: crossed.threshold },
            recommendation: `Run VACUUM (ANALYZE) ${sqlName(table.name)}; and check why autovacuum skips it (autovacuum_enabled in its reloptions, autovacuum workers busy, long transactions).`,
          },
        ];
      }),
    );
  },
};
