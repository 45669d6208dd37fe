import type { Rule } from '../contracts/rule.js';
import { reachableDatabases } from './postgres-common.js';

/** No threshold: without pg_stat_statements the query checks cannot run, which the report must say (issue 3). */
export const rule: Rule = {
  id: 'postgres-statements-missing',
  component: 'database',
  category: 'database',
  description: 'pg_stat_statements is available, so that query performance can be measured.',
  evaluate(context) {
    const databases = reachableDatabases(context);
    if (!databases) return null;
    return databases
      .filter((database) => database.statements === null)
      .map((database) => {
        const reason = database.notVisible.find((entry) => entry.check.includes('pg_stat_statements'))?.reason ?? 'pg_stat_statements cannot be read';
        const notLoaded = /shared_preload_libraries/.test(reason);
        return {
          ruleId: rule.id,
          severity: 'info' as const,
          category: 'database' as const,
          subject: `postgres:database:${database.name}`,
          title: 'pg_stat_statements not available',
          message: `Query performance of database ${database.name} was not measured: ${reason}.`,
          evidence: { metric: `postgres.databases[${database.name}].statements`, value: null, unit: '', threshold: 'pg_stat_statements' },
          recommendation: notLoaded
            ? "Add pg_stat_statements to shared_preload_libraries in postgresql.conf (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart PostgreSQL, then CREATE EXTENSION pg_stat_statements; in " + database.name + '.'
            : `Run CREATE EXTENSION pg_stat_statements; in database ${database.name} (the library is already loaded).`,
        };
      });
  },
};
