import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'pgbouncer-clients-waiting',
  component: 'database',
  category: 'database',
  description: 'Clients waiting for a server connection in a PgBouncer pool, and how long the oldest has waited.',
  requires: ['pgbouncer'],
  check(context) {
    const pgbouncer = context.data.pgbouncer;
    // an admin console that did not answer is pgbouncer-unreachable's finding
    if (!pgbouncer.reachable) return NOT_APPLICABLE;
    for (const pool of pgbouncer.pools) {
      const byCount = levelAbove(pool.clientsWaiting, context.thresholds.poolClientsWaiting);
      const byWait = pool.clientsWaiting > 0 ? levelAbove(pool.maxWaitSeconds, context.thresholds.poolMaxWaitSeconds) : null;
      const crossed = byWait && (!byCount || byWait.severity === 'critical') ? byWait : byCount;
      if (!crossed) continue;
      const stats = pgbouncer.stats.find((entry) => entry.database === pool.database);
      context.report({
        severity: crossed.severity,
        subject: `pgbouncer:pool:${pool.database}/${pool.user}`,
        title: `${pool.clientsWaiting} clients waiting in pool ${pool.database}/${pool.user}`,
        message:
          `Pool ${pool.database}/${pool.user} (${pool.poolMode} mode, pool size ${pool.poolSize ?? 'unknown'}) has ${pool.clientsWaiting} clients waiting, ` +
          `${pool.clientsActive} active, ${pool.serversActive} server connections active; the oldest has waited ${round(pool.maxWaitSeconds, 1)} s` +
          (stats ? `; average wait ${round(stats.avgWaitMs, 1)} ms.` : '.'),
        evidence: crossed === byWait
          ? { metric: `pgbouncer.pools[${pool.database}/${pool.user}].maxWaitSeconds`, value: round(pool.maxWaitSeconds, 1), unit: 's', threshold: crossed.threshold }
          : { metric: `pgbouncer.pools[${pool.database}/${pool.user}].clientsWaiting`, value: pool.clientsWaiting, unit: 'clients', threshold: crossed.threshold },
        recommendation:
          (pool.poolMode === 'session'
            ? `The pool is in session mode: each client holds a server connection for its whole session; switch ${pool.database} to pool_mode = transaction if the application allows it, or `
            : 'Server connections are held too long (slow queries, long transactions): fix those first, or ') +
          `raise pool_size for ${pool.database} in pgbouncer.ini (now ${pool.poolSize ?? 'default'}) within PostgreSQL's max_connections.`,
      });
    }
  },
});
