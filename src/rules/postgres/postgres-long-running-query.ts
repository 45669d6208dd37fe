import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { levelAbove, round } from '../levels.js';
import { databasesWith, formatSeconds, shortQuery, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-long-running-query',
  component: 'database',
  category: 'database',
  description: 'Queries running (or transactions open) longer than the long-running thresholds.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.activity);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const session of value.longRunning) {
        const query = levelAbove(session.durationSeconds, context.thresholds.longQuerySeconds);
        const transaction = session.transactionSeconds === null ? null : levelAbove(session.transactionSeconds, context.thresholds.transactionSeconds);
        const crossed = query ?? transaction;
        if (!crossed) continue;
        const byQuery = query !== null;
        context.report({
          severity: crossed.severity,
          subject: `postgres:session:${session.pid}`,
          title: byQuery ? `Query running for ${formatSeconds(session.durationSeconds)}` : `Transaction open for ${formatSeconds(session.transactionSeconds ?? 0)}`,
          message:
            `Session ${session.pid} (${session.user ?? 'unknown user'}, application "${session.application}")${where(database)} has run its current query for ` +
            `${formatSeconds(session.durationSeconds)}` +
            (session.transactionSeconds !== null ? ` in a transaction open ${formatSeconds(session.transactionSeconds)}` : '') +
            (session.waitEvent ? `, waiting on ${session.waitEvent}` : '') +
            `: ${shortQuery(session.query)}.`,
          evidence: {
            metric: `postgres.databases[${database.name}].activity.longRunning[${session.pid}].${byQuery ? 'durationSeconds' : 'transactionSeconds'}`,
            value: round(byQuery ? session.durationSeconds : (session.transactionSeconds ?? 0), 1),
            unit: 's',
            threshold: crossed.threshold,
          },
          recommendation:
            `Look at this query with EXPLAIN (ANALYZE, BUFFERS) on a copy, and at what it waits on (${session.waitEvent ?? 'no wait event: it is working'}). ` +
            `If it must stop: SELECT pg_cancel_backend(${session.pid}); set statement_timeout for the role of application "${session.application}" so that runaway queries end on their own.`,
        });
      }
    }
  },
});
