import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, levelAbove, round } from '../levels.js';
import { databasesWith, sqlName, where } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-sequence-exhaustion',
  component: 'database',
  category: 'database',
  description: "Sequences close to the maximum of their column's type (or their own max_value).",
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.sequences);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const sequence of value) {
        if (sequence.usedPercent === null) continue;
        const crossed = levelAbove(sequence.usedPercent, context.thresholds.sequencePercent);
        if (!crossed) continue;
        const type = sequence.columnType ?? 'sequence';
        context.report({
          severity: crossed.severity,
          subject: `postgres:sequence:${sequence.name}`,
          title: `Sequence ${sequence.name} near its maximum`,
          message:
            `Sequence ${sequence.name}${where(database)} is at ${formatCount(sequence.lastValue ?? 0)} of ${formatCount(sequence.maxValue)} ` +
            `(${formatPercent(sequence.usedPercent)}, limit of its ${type}); inserts fail once it runs out.`,
          evidence: { metric: `postgres.databases[${database.name}].sequences[${sequence.name}].usedPercent`, value: round(sequence.usedPercent, 2), unit: '%', threshold: crossed.threshold },
          recommendation:
            sequence.columnType === 'integer' || sequence.columnType === 'smallint'
              ? `Widen the column it feeds to bigint (ALTER TABLE ... ALTER COLUMN ... TYPE bigint, planned: it rewrites the table) and ALTER SEQUENCE ${sqlName(sequence.name)} AS bigint.`
              : `Raise its limit: ALTER SEQUENCE ${sqlName(sequence.name)} MAXVALUE <larger> (or AS bigint).`,
        });
      }
    }
  },
});
