import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

/** SPEC-THRESHOLDS PostgreSQL: duplicate index (columns a prefix of another valid index, same method and predicate): warning. */
export const rule = defineRule({
  id: 'postgres-duplicate-index',
  component: 'database',
  category: 'database',
  description: 'Indexes whose columns are a leading prefix of another valid index on the same table.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.indexes);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const index of value) {
        if (index.duplicateOf === null) continue;
        const other = value.find((candidate) => candidate.name === index.duplicateOf);
        context.report({
          severity: 'warning' as const,
          subject: `postgres:index:${index.name}`,
          title: `Duplicate index ${index.name}`,
          message:
            `Index ${index.name}${where(database)} (${formatBytes(index.sizeBytes)}) is covered by ${index.duplicateOf}: ` +
            `${index.definition} vs ${other?.definition ?? index.duplicateOf}.`,
          evidence: { metric: `postgres.databases[${database.name}].indexes[${index.name}].duplicateOf`, value: index.duplicateOf, unit: '', threshold: 'no duplicate' },
          recommendation: `Drop the redundant one: DROP INDEX CONCURRENTLY ${sqlName(index.name)}; queries use ${index.duplicateOf} instead, and writes get cheaper.`,
        });
      }
    }
  },
});
