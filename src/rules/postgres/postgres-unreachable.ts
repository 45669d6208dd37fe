import { defineRule } from '../../contracts/rule.js';

/** A configured database that cannot be reached is the worst a database can be: critical availability (DESIGN.md section 2). */
export const rule = defineRule({
  id: 'postgres-unreachable',
  component: 'database',
  category: 'availability',
  description: 'Every configured PostgreSQL database answers a read-only session.',
  requires: ['postgres'],
  check(context) {
    const postgres = context.data.postgres;
    for (const database of postgres.databases) {
      if (database.reachable) continue;
      context.report({
        severity: 'critical',
        subject: `postgres:database:${database.name}`,
        title: `PostgreSQL database ${database.name} unreachable`,
        message: `Could not open a session to ${database.target}: ${database.error ?? 'unknown error'}.`,
        evidence: { metric: `postgres.databases[${database.name}].reachable`, value: 'false', unit: '', threshold: 'reachable' },
        recommendation: advice(database.error ?? '', database.target),
      });
    }
  },
});

/** What to check, from what the error says. */
function advice(error: string, target: string): string {
  if (/ECONNREFUSED/i.test(error)) return `Nothing listens at ${target}: check that PostgreSQL runs (systemctl status postgresql, pg_lsclusters) and its port and listen_addresses.`;
  if (/password authentication failed|no password/i.test(error)) return `Authentication failed: check the user and password of ${target} and the server's pg_hba.conf.`;
  if (/does not exist/i.test(error)) return `The server answered but the database or role in ${target} does not exist: fix the name in the URL (psql -l lists databases).`;
  if (/no pg_hba\.conf entry.*no encryption/i.test(error))
    return `The server accepts this client only over TLS (hostssl in pg_hba.conf): add ?sslmode=require to ${target} (or verify-full with the server's CA to also check its certificate).`;
  if (/no pg_hba\.conf entry|SSL/i.test(error)) return `The server refused this client: add a pg_hba.conf entry for it, or set sslmode in ${target} as the server requires.`;
  if (/timeout|ETIMEDOUT|EHOSTUNREACH/i.test(error)) return `No answer from ${target} in time: check the host, the firewall and the server's load.`;
  return `Check that ${target} is right and that the server is up and accepts this role (psql with the same URL shows the full error).`;
}
