import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { reachableDatabases } from '../lib/postgres-common.js';

/** No threshold: without pg_stat_statements the query checks cannot run, which the report must say (issue 3). */
export const rule = defineRule({
  id: 'postgres-statements-missing',
  component: 'database',
  category: 'database',
  description: 'pg_stat_statements is available, so that query performance can be measured.',
  requires: ['postgres'],
  check(context) {
    const databases = reachableDatabases(context.data.postgres);
    if (!databases) return NOT_APPLICABLE;
    for (const database of databases) {
      if (database.statements !== null) continue;
      const reason = database.notVisible.find((entry) => entry.check.includes('pg_stat_statements'))?.reason ?? 'pg_stat_statements cannot be read';
      const notLoaded = /shared_preload_libraries/.test(reason);
      context.report({
        severity: 'info',
        subject: `postgres:database:${database.name}`,
        title: 'pg_stat_statements not available',
        message: `Query performance of database ${database.name} was not measured: ${reason}.`,
        evidence: { metric: `postgres.databases[${database.name}].statements`, value: null, unit: '', threshold: 'pg_stat_statements' },
        recommendation: notLoaded
          ? "Add pg_stat_statements to shared_preload_libraries in postgresql.conf (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart PostgreSQL, then CREATE EXTENSION pg_stat_statements; in " + database.name + '.'
          : `Run CREATE EXTENSION pg_stat_statements; in database ${database.name} (the library is already loaded).`,
      });
    }
  },
});
