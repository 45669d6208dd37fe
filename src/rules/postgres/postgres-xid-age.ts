import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, levelAbove } from '../levels.js';
import { serversOf } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-xid-age',
  component: 'database',
  category: 'database',
  description: 'Transaction ID age of each database (PostgreSQL stops accepting writes near 2.1 billion).',
  requires: ['postgres'],
  check(context) {
    const servers = serversOf(context.data.postgres);
    if (!servers) return NOT_APPLICABLE;
    for (const server of servers) {
      for (const entry of server.xidAge) {
        const crossed = levelAbove(entry.age, context.thresholds.xidAge);
        if (!crossed) continue;
        context.report({
          severity: crossed.severity,
          subject: `postgres:database:${entry.database}`,
          title: `Transaction ID wraparound approaching in ${entry.database}`,
          message: `Database ${entry.database} on ${server.server} has a transaction ID age of ${formatCount(entry.age)}; PostgreSQL stops accepting writes at about 2,100,000,000.`,
          evidence: { metric: `postgres.servers[${server.server}].xidAge[${entry.database}]`, value: entry.age, unit: 'transactions', threshold: crossed.threshold },
          recommendation:
            `Run VACUUM (FREEZE, VERBOSE) in ${entry.database}, oldest tables first (ORDER BY age(relfrozenxid) DESC in pg_class), ` +
            'and end long transactions and stale replication slots that hold the horizon back.',
        });
      }
    }
  },
});
