import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

/** SPEC-THRESHOLDS PostgreSQL: invalid index (a failed CREATE INDEX CONCURRENTLY): warning. */
export const rule = defineRule({
  id: 'postgres-invalid-index',
  component: 'database',
  category: 'database',
  description: 'Indexes left invalid by a failed CREATE INDEX CONCURRENTLY: maintained on every write, never used.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.indexes);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const index of value) {
        if (index.valid) continue;
        context.report({
          severity: 'warning',
          subject: `postgres:index:${index.name}`,
          title: `Invalid index ${index.name}`,
          message: `Index ${index.name} on ${index.table}${where(database)} (${formatBytes(index.sizeBytes)}) is invalid: writes maintain it but no query can use it. Definition: ${index.definition}.`,
          evidence: { metric: `postgres.databases[${database.name}].indexes[${index.name}].valid`, value: 'false', unit: '', threshold: 'valid' },
          recommendation:
            `Drop it and build it again: DROP INDEX CONCURRENTLY ${sqlName(index.name)}; then ${index.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ')}` +
            (index.unique ? ` (a UNIQUE index fails on duplicate rows: remove them from ${index.table} first).` : '.'),
        });
      }
    }
  },
});
