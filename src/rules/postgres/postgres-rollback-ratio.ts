import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatPercent, formatWindow, levelAbove, round } from '../levels.js';
import { databasesWith } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-rollback-ratio',
  component: 'database',
  category: 'database',
  description: 'Rollbacks as a share of transactions during the sampling window.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.stats);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      const percent = value.rollbackPercent.value;
      if (percent === null) continue;
      const crossed = levelAbove(percent, context.thresholds.rollbackPercent);
      if (!crossed) continue;
      context.report({
        severity: crossed.severity,
        subject: `postgres:database:${database.name}`,
        title: `Many rollbacks in ${database.name}`,
        message:
          `${formatPercent(percent)} of the transactions of database ${database.name} rolled back during the ${formatWindow(value.windowMs)} window ` +
          `(${round(value.rollbacksPerSec.value ?? 0, 2)} rollbacks/s, ${round(value.commitsPerSec.value ?? 0, 2)} commits/s; the profiler's own excluded).`,
        evidence: { metric: `postgres.databases[${database.name}].stats.rollbackPercent`, value: round(percent, 1), unit: '%', threshold: crossed.threshold },
        recommendation:
          'Rollbacks are failed work: look at the PostgreSQL log for the errors behind them (log_min_error_statement = error), ' +
          'and at the application for transactions that are rolled back on purpose (ORMs that roll back read-only requests).',
      });
    }
  },
});
