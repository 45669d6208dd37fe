import { defineRule } from '../../contracts/rule.js';

/** The report says which checks a role could not see and why (issue 3); info, one per database or server. */
export const rule = defineRule({
  id: 'postgres-not-visible',
  component: 'database',
  category: 'database',
  description: 'Checks the profiler could not run with this role or server (privileges, missing views).',
  requires: ['postgres'],
  check(context) {
    const postgres = context.data.postgres;
    const entries = [
      ...postgres.databases.filter((database) => database.reachable).map((database) => ({ subject: `postgres:database:${database.name}`, name: `database ${database.name}`, items: database.notVisible.filter((item) => !item.check.includes('pg_stat_statements')) })),
      ...postgres.servers.map((server) => ({ subject: 'postgres:instance', name: `server ${server.server}`, items: server.notVisible })),
    ];
    for (const entry of entries) {
      if (entry.items.length === 0) continue;
      context.report({
        severity: 'info',
        subject: entry.subject,
        title: `${entry.items.length} check${entry.items.length === 1 ? '' : 's'} not visible`,
        message: `Not visible on ${entry.name}: ${entry.items.map((item) => `${item.check} (${item.reason})`).join('; ')}.`,
        evidence: { metric: 'postgres.notVisible', value: entry.items.length, unit: 'checks', threshold: 0 },
        recommendation: /pg_read_all_stats|pg_monitor|permission denied/.test(entry.items.map((item) => item.reason).join(' '))
          ? "Grant the profiler's role the monitoring role: GRANT pg_monitor TO <role>; (read-only: it sees statistics, not data)."
          : 'See each reason above; the other checks ran.',
      });
    }
  },
});
