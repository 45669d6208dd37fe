import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, levelAbove } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-dead-tuples',
  component: 'database',
  category: 'database',
  description: 'Tables with many dead tuples (> 10,000 and > 10 % of live ones): vacuum is not keeping up.',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.tables);
    if (!found) return NOT_APPLICABLE;
    const { deadPercent, ...levels } = context.thresholds.deadTuples;
    for (const { database, value } of found) {
      for (const table of value) {
        const share = table.liveTuples > 0 ? (table.deadTuples / table.liveTuples) * 100 : table.deadTuples > 0 ? Infinity : 0;
        if (share <= deadPercent) continue;
        const crossed = levelAbove(table.deadTuples, levels);
        if (!crossed) continue;
        context.report({
          severity: crossed.severity,
          subject: `postgres:table:${table.name}`,
          title: `Dead tuples piling up in ${table.name}`,
          message:
            `${table.name}${where(database)} has ${formatCount(table.deadTuples)} dead tuples, ${Number.isFinite(share) ? formatPercent(share) : 'all'} of its ${formatCount(table.liveTuples)} live ones; ` +
            `last vacuum ${table.lastAutovacuum ?? table.lastVacuum ?? 'never'}.`,
          evidence: { metric: `postgres.databases[${database.name}].tables[${table.name}].deadTuples`, value: table.deadTuples, unit: 'tuples', threshold: crossed.threshold },
          recommendation:
            `Run VACUUM (ANALYZE) ${sqlName(table.name)}; now, then make autovacuum visit it sooner: ALTER TABLE ${sqlName(table.name)} SET (autovacuum_vacuum_scale_factor = 0.05)` +
            ' (and check that autovacuum is on and no long transaction holds back cleanup).',
        });
      }
    }
  },
});
