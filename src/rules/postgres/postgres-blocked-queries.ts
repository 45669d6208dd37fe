import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { levelAbove, round } from '../levels.js';
import { databasesWith, formatSeconds, shortQuery, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-blocked-queries',
  component: 'database',
  category: 'database',
  description: 'Sessions waiting on a lock held by another session (pg_blocking_pids), with their blockers.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.activity);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      const crossed = levelAbove(value.blocked.length, context.thresholds.blockedQueries);
      if (!crossed) continue;
      for (const session of value.blocked) {
        const blockers = session.blockers.length > 0
          ? session.blockers.map((blocker) => `pid ${blocker.pid} (${blocker.state ?? 'state not visible'}, "${blocker.application}", ${shortQuery(blocker.query, 80)})`).join('; ')
          : session.blockedBy.map((pid) => `pid ${pid}`).join(', ');
        const first = session.blockers[0] ?? null;
        context.report({
          severity: crossed.severity,
          subject: `postgres:session:${session.pid}`,
          title: `Query blocked by ${session.blockedBy.length === 1 ? `session ${session.blockedBy[0]}` : `${session.blockedBy.length} sessions`}`,
          message:
            `Session ${session.pid} ("${session.application}")${where(database)} has waited ${formatSeconds(session.durationSeconds)} on ${session.waitEvent ?? 'a lock'} ` +
            `running ${shortQuery(session.query, 80)}; blocked by ${blockers}.`,
          evidence: { metric: `postgres.databases[${database.name}].activity.blocked`, value: round(value.blocked.length, 0), unit: 'sessions', threshold: crossed.threshold },
          recommendation:
            (first && first.state?.startsWith('idle in transaction')
              ? `The blocker, pid ${first.pid}, is idle in transaction: fix the code path of "${first.application}" that leaves it open; to release the lock now: SELECT pg_terminate_backend(${first.pid}). `
              : `Look at what blocker pid ${session.blockedBy[0]} is doing (SELECT * FROM pg_stat_activity WHERE pid = ${session.blockedBy[0]}); shorten its transaction. `) +
            'Set lock_timeout for the application so waits fail fast instead of piling up.',
        });
      }
    }
  },
});
