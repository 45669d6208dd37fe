import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'pgbouncer-pool-utilisation',
  component: 'database',
  category: 'database',
  description: "Server connections in use against each pool's size, and clients against max_client_conn.",
  requires: ['pgbouncer'],
  check(context) {
    const pgbouncer = context.data.pgbouncer;
    // an admin console that did not answer is pgbouncer-unreachable's finding
    if (!pgbouncer.reachable) return NOT_APPLICABLE;
    for (const pool of pgbouncer.pools) {
      if (pool.utilisationPercent === null) continue;
      const crossed = levelAbove(pool.utilisationPercent, context.thresholds.poolUtilisation);
      if (!crossed) continue;
      context.report({
        severity: crossed.severity,
        subject: `pgbouncer:pool:${pool.database}/${pool.user}`,
        title: `Pool ${pool.database}/${pool.user} ${formatPercent(pool.utilisationPercent)} used`,
        message: `Pool ${pool.database}/${pool.user} uses ${pool.serversActive + pool.serversUsed} of ${pool.poolSize} server connections (${formatPercent(pool.utilisationPercent)}); ${pool.clientsWaiting} clients waiting.`,
        evidence: { metric: `pgbouncer.pools[${pool.database}/${pool.user}].utilisationPercent`, value: round(pool.utilisationPercent, 1), unit: '%', threshold: crossed.threshold },
        recommendation: `Raise pool_size for ${pool.database} in pgbouncer.ini (now ${pool.poolSize}) if PostgreSQL has spare connections, or shorten the transactions that hold them.`,
      });
    }
    if (pgbouncer.clientUtilisationPercent !== null) {
      const crossed = levelAbove(pgbouncer.clientUtilisationPercent, context.thresholds.poolUtilisation);
      if (crossed) {
        context.report({
          severity: crossed.severity,
          subject: 'pgbouncer:instance',
          title: 'PgBouncer clients near max_client_conn',
          message: `${pgbouncer.totalClients} clients of max_client_conn ${pgbouncer.maxClientConn} (${formatPercent(pgbouncer.clientUtilisationPercent)}); new clients are refused at the limit.`,
          evidence: { metric: 'pgbouncer.clientUtilisationPercent', value: round(pgbouncer.clientUtilisationPercent, 1), unit: '%', threshold: crossed.threshold },
          recommendation: 'Raise max_client_conn in pgbouncer.ini (client connections are cheap in PgBouncer; check the open-files limit), or find the client leaking connections.',
        });
      }
    }
  },
});
