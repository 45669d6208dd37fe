import type { SequenceStats } from '../../contracts/postgres.js';
import { num, numOrNull, type CountingSession } from './session.js';

/** The largest value of the integer types a sequence commonly feeds. */
export const TYPE_MAX: Record<string, number> = { smallint: 32767, integer: 2147483647, bigint: 2 ** 63 - 1 };

/**
 * How far each sequence is towards its limit: the lower of its own max_value and the max of the
 * column type it feeds (an integer column overflows long before a bigint sequence does).
 * last_value is null for a sequence never used or not readable by this role.
 */
export async function readSequences(session: CountingSession): Promise<SequenceStats[]> {
  const rows = await session.query<Record<string, unknown>>(
    `select s.schemaname || '.' || s.sequencename as name, s.last_value::float8 as last_value, s.max_value::float8 as max_value,
            s.increment_by::float8 as increment_by,
            (select format_type(a.atttypid, null) from pg_depend d
               join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
              where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
                and d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass
                and d.deptype in ('a', 'i') and d.refobjsubid > 0 limit 1) as column_type
       from pg_sequences s`,
  );
  return rows
    .filter((row) => num(row.increment_by) > 0)
    .map((row) => {
      const columnType = row.column_type == null ? null : String(row.column_type);
      const typeMax = columnType !== null ? TYPE_MAX[columnType] : undefined;
      const maxValue = Math.min(num(row.max_value), typeMax ?? Number.POSITIVE_INFINITY);
      const lastValue = numOrNull(row.last_value);
      return {
        name: String(row.name),
        lastValue,
        maxValue,
        columnType,
        usedPercent: lastValue === null || maxValue <= 0 ? null : Math.round((lastValue / maxValue) * 100_000) / 1000,
      };
    });
}
