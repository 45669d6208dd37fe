import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { levelAbove, round } from '../levels.js';
import { databasesWith, formatSeconds, shortQuery, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-idle-in-transaction',
  component: 'database',
  category: 'database',
  description: 'Sessions idle in an open transaction (they hold locks and stop vacuum from cleaning up).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.activity);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const session of value.idleInTransaction) {
        const crossed = levelAbove(session.durationSeconds, context.thresholds.idleInTransactionSeconds);
        if (!crossed) continue;
        context.report({
          severity: crossed.severity,
          subject: `postgres:session:${session.pid}`,
          title: `Session ${session.pid} idle in transaction`,
          message:
            `Session ${session.pid} (${session.user ?? 'unknown user'}, application "${session.application}")${where(database)} has been ` +
            `${session.state} for ${formatSeconds(session.durationSeconds)}` +
            (session.transactionSeconds !== null ? `, transaction open ${formatSeconds(session.transactionSeconds)}` : '') +
            `; last statement: ${shortQuery(session.query)}.`,
          evidence: { metric: `postgres.databases[${database.name}].activity.idleInTransaction[${session.pid}].durationSeconds`, value: round(session.durationSeconds, 1), unit: 's', threshold: crossed.threshold },
          recommendation:
            `Find where application "${session.application}" opens a transaction and does not commit (a request that returns before COMMIT, a missing rollback on error). ` +
            `To end it now: SELECT pg_terminate_backend(${session.pid}); as a safety net set idle_in_transaction_session_timeout (e.g. '60s') for that role.`,
        });
      }
    }
  },
});
