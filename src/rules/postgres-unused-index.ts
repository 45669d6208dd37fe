import type { Rule } from '../contracts/rule.js';
import { formatBytes, levelAbove } from './levels.js';
import { databasesWith, sqlName, where } from './postgres-common.js';

export const rule: Rule = {
  id: 'postgres-unused-index',
  component: 'database',
  category: 'database',
  description: 'Indexes never scanned since the statistics were reset and at least 10 MB (PgHero).',
  evaluate(context) {
    const found = databasesWith(context, (database) => database.indexes);
    if (!found) return null;
    return found.flatMap(({ database, value }) =>
      value.flatMap((index) => {
        if (index.scans > 0 || index.unique || index.primary || !index.valid) return [];
        const crossed = levelAbove(index.sizeBytes, context.thresholds.unusedIndexBytes);
        if (!crossed) return [];
        const since = database.statsResetAt ? `since the statistics were reset at ${database.statsResetAt}` : 'since the statistics were last reset (never, or not visible)';
        return [
          {
            ruleId: rule.id,
            severity: crossed.severity,
            category: 'database' as const,
            subject: `postgres:index:${index.name}`,
            title: `Unused index ${index.name}`,
            message: `Index ${index.name} on ${index.table}${where(database)} (${formatBytes(index.sizeBytes)}) has had 0 scans ${since}; every write to ${index.table} still maintains it.`,
            evidence: { metric: `postgres.databases[${database.name}].indexes[${index.name}].scans`, value: index.sizeBytes, unit: 'bytes', threshold: crossed.threshold },
            recommendation:
              `If replicas and rare jobs (monthly reports) do not use it either, drop it: DROP INDEX CONCURRENTLY ${sqlName(index.name)}; ` +
              `keep its definition to recreate it: ${index.definition}.`,
          },
        ];
      }),
    );
  },
};
