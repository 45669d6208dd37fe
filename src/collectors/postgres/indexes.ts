import type { IndexStats } from '../../contracts/postgres.js';
import { num, type CountingSession } from './session.js';

/** An index as read from pg_index: the reported fields, plus what duplicate detection compares. */
export interface IndexRow extends Omit<IndexStats, 'duplicateOf'> {
  /** column numbers (0 = expression) */
  columns: number[];
  method: string;
  predicate: string;
  expressions: string;
}

/**
 * Index `a` is a duplicate of `b` (PgHero's definition): both valid, same table, same access
 * method, predicate and expressions, and a's columns are a leading prefix of b's. A unique index
 * is not made redundant by a longer one (it enforces a constraint the longer one does not); of
 * two identical indexes, the one that is not the primary key / not unique / later by name goes.
 */
export function duplicateOf(a: IndexRow, all: readonly IndexRow[]): IndexRow | null {
  if (!a.valid || a.primary) return null;
  for (const b of all) {
    if (b === a || !b.valid || b.table !== a.table || b.method !== a.method) continue;
    if (b.predicate !== a.predicate || b.expressions !== a.expressions) continue;
    if (a.columns.length > b.columns.length || a.columns.some((column, i) => column !== b.columns[i])) continue;
    if (a.columns.length < b.columns.length) {
      if (a.unique) continue;
      return b;
    }
    // identical column lists: keep the stronger one, or the first by name
    const strength = (index: IndexRow) => (index.primary ? 2 : index.unique ? 1 : 0);
    if (strength(b) > strength(a) || (strength(b) === strength(a) && b.name < a.name)) return b;
  }
  return null;
}

export async function readIndexes(session: CountingSession): Promise<IndexStats[]> {
  const rows = await session.query<Record<string, unknown>>(
    `select n.nspname || '.' || ci.relname as name, tn.nspname || '.' || ct.relname as table_name,
            coalesce(s.idx_scan, 0)::float8 as scans, pg_relation_size(i.indexrelid)::float8 as size,
            i.indisvalid as valid, i.indisunique as is_unique, i.indisprimary as is_primary,
            pg_get_indexdef(i.indexrelid) as definition, i.indkey::text as columns, ci.relam::text as method,
            coalesce(pg_get_expr(i.indpred, i.indrelid), '') as predicate, coalesce(pg_get_expr(i.indexprs, i.indrelid), '') as expressions
       from pg_index i
       join pg_class ci on ci.oid = i.indexrelid
       join pg_namespace n on n.oid = ci.relnamespace
       join pg_class ct on ct.oid = i.indrelid
       join pg_namespace tn on tn.oid = ct.relnamespace
       left join pg_stat_user_indexes s on s.indexrelid = i.indexrelid
      where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'`,
  );
  const indexes: IndexRow[] = rows.map((row) => ({
    name: String(row.name),
    table: String(row.table_name),
    scans: num(row.scans),
    sizeBytes: num(row.size),
    valid: row.valid === true,
    unique: row.is_unique === true,
    primary: row.is_primary === true,
    definition: String(row.definition),
    columns: String(row.columns).trim().split(/\s+/).filter(Boolean).map(Number),
    method: String(row.method),
    predicate: String(row.predicate),
    expressions: String(row.expressions),
  }));
  // group by table so that the duplicate search stays linear in the number of tables
  const byTable = new Map<string, IndexRow[]>();
  for (const index of indexes) byTable.set(index.table, [...(byTable.get(index.table) ?? []), index]);
  return indexes.map((index) => ({
    name: index.name,
    table: index.table,
    scans: index.scans,
    sizeBytes: index.sizeBytes,
    valid: index.valid,
    unique: index.unique,
    primary: index.primary,
    definition: index.definition,
    duplicateOf: duplicateOf(index, byTable.get(index.table) ?? [])?.name ?? null,
  }));
}
