import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatPercent, levelAbove, round } from '../levels.js';
import { INSTANCE_SUBJECT, serversOf } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-connections',
  component: 'database',
  category: 'database',
  description: 'Client connections against max_connections minus the reserved slots.',
  requires: ['postgres'],
  check(context) {
    const servers = serversOf(context.data.postgres);
    if (!servers) return NOT_APPLICABLE;
    for (const server of servers) {
      const value = server.connections.utilisationPercent.value;
      if (value === null) continue;
      const crossed = levelAbove(value, context.thresholds.connections);
      if (!crossed) continue;
      const { total, maxConnections, reserved, byApplication, byState } = server.connections;
      const usable = maxConnections - reserved;
      const apps = byApplication.slice(0, 3).map((entry) => `${entry.key} ${entry.count}`).join(', ');
      const states = byState.map((entry) => `${entry.key} ${entry.count}`).join(', ');
      const idle = byState.find((entry) => entry.key === 'idle')?.count ?? 0;
      context.report({
        severity: crossed.severity,
        subject: INSTANCE_SUBJECT,
        title: 'PostgreSQL connections near the limit',
        message:
          `${total.value} of ${usable} usable connections in use on ${server.server} (${formatPercent(value)}; max_connections ${maxConnections}, ` +
          `${reserved} reserved). By state: ${states}. Top applications: ${apps}.`,
        evidence: { metric: `postgres.servers[${server.server}].connections.utilisationPercent`, value: round(value, 1), unit: '%', threshold: crossed.threshold },
        recommendation:
          (idle > 0 ? `${idle} connections are idle: put a pooler (PgBouncer in transaction mode) in front of PostgreSQL or shrink the application pools (${apps}). ` : `Shrink the application pools (${apps}) or put PgBouncer in front. `) +
          'Raising max_connections costs memory per connection (work_mem each); prefer pooling.',
      });
    }
  },
});
