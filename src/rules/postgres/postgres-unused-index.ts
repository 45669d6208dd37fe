import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes, levelAbove } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-unused-index',
  component: 'database',
  category: 'database',
  description: 'Indexes never scanned since the statistics were reset and at least 10 MB (PgHero).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.indexes);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const index of value) {
        if (index.scans > 0 || index.unique || index.primary || !index.valid) continue;
        const crossed = levelAbove(index.sizeBytes, context.thresholds.unusedIndexBytes);
        if (!crossed) continue;
        const since = database.statsResetAt ? `since the statistics were reset at ${database.statsResetAt}` : 'since the statistics were last reset (never, or not visible)';
        context.report({
          severity: crossed.severity,
          subject: `postgres:index:${index.name}`,
          title: `Unused index ${index.name}`,
          message: `Index ${index.name} on ${index.table}${where(database)} (${formatBytes(index.sizeBytes)}) has had 0 scans ${since}; every write to ${index.table} still maintains it.`,
          evidence: { metric: `postgres.databases[${database.name}].indexes[${index.name}].scans`, value: index.sizeBytes, unit: 'bytes', threshold: crossed.threshold },
          recommendation:
            `If replicas and rare jobs (monthly reports) do not use it either, drop it: DROP INDEX CONCURRENTLY ${sqlName(index.name)}; ` +
            `keep its definition to recreate it: ${index.definition}.`,
        });
      }
    }
  },
});
