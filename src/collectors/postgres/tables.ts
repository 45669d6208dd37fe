import type { TableStats } from '../../contracts/postgres.js';
import { isoOrNull, num, numOrNull, type CountingSession } from './session.js';

/**
 * Tables listed: the TABLE_LIMIT largest (by the planner's page counts, so that ranking 10,000 tables
 * costs no file-system call per table) plus every table a table check could flag, whatever its size:
 * CANDIDATE_FLOORS are a tenth of the rules' default thresholds (missing index: sequential scans on
 * >= 10,000 live rows; dead tuples >= 10,000; vacuum age >= 10 days), so lowering a threshold up to
 * ten times still sees every table. A database with 10,000 tables thus reports a few hundred, not all.
 */
export const TABLE_LIMIT = 500;
export const CANDIDATE_FLOORS = { seqScannedLiveRows: 1000, deadTuples: 1000, vacuumAgeDays: 1 };

/** Bytes a heap tuple costs beyond its data: 23-byte header padded to 24, plus a 4-byte line pointer. */
const TUPLE_OVERHEAD_BYTES = 28;

/**
 * Wasted bytes of a table: pages beyond what its rows need at their average width
 * (the planner's reltuples and pg_stats avg_width), fillfactor taken into account.
 * An estimate, as PgHero's and check_postgres's are; null without statistics.
 */
export function estimateBloatBytes(input: { relpages: number; reltuples: number; avgWidth: number | null; blockSize: number; fillfactor: number }): number | null {
  if (input.avgWidth === null || input.reltuples <= 0 || input.relpages <= 0) return null;
  const usable = input.blockSize * (input.fillfactor / 100) - 24; // page header
  const tuplesPerPage = Math.max(1, Math.floor(usable / (input.avgWidth + TUPLE_OVERHEAD_BYTES)));
  const expectedPages = Math.ceil(input.reltuples / tuplesPerPage);
  return Math.max(0, input.relpages - expectedPages) * input.blockSize;
}

export async function readTables(session: CountingSession): Promise<TableStats[]> {
  const rows = await session.query<Record<string, unknown>>(
    `with s as (
       select s.relid, s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup, s.seq_scan, s.idx_scan, s.last_autovacuum, s.last_vacuum,
              s.n_mod_since_analyze,
              row_number() over (order by c.relpages + coalesce(toast.relpages, 0) + coalesce(ix.pages, 0) desc) as rank
         from pg_stat_user_tables s join pg_class c on c.oid = s.relid left join pg_class toast on toast.oid = c.reltoastrelid
         left join (select i.indrelid, sum(ic.relpages) as pages from pg_index i join pg_class ic on ic.oid = i.indexrelid group by i.indrelid) ix
                on ix.indrelid = s.relid),
     t as (
       select s.*, pg_total_relation_size(s.relid) as size from s
        where s.rank <= ${TABLE_LIMIT}
           or (coalesce(s.seq_scan, 0) > 0 and s.n_live_tup >= ${CANDIDATE_FLOORS.seqScannedLiveRows})
           or s.n_dead_tup >= ${CANDIDATE_FLOORS.deadTuples}
           or (s.n_mod_since_analyze > 0 and greatest(s.last_vacuum, s.last_autovacuum) < now() - interval '${CANDIDATE_FLOORS.vacuumAgeDays} day'))
     select t.schemaname || '.' || t.relname as name, t.n_live_tup::float8 as live, t.n_dead_tup::float8 as dead,
            coalesce(t.seq_scan, 0)::float8 as seq, coalesce(t.idx_scan, 0)::float8 as idx, t.size::float8 as size,
            t.last_autovacuum, t.last_vacuum, t.n_mod_since_analyze::float8 as mods,
            extract(epoch from (now() - greatest(t.last_vacuum, t.last_autovacuum)))::float8 / 86400 as vacuum_age_days,
            io.heap_blks_hit::float8 as hit, io.heap_blks_read::float8 as read,
            c.relpages::float8 as relpages, c.reltuples::float8 as reltuples, current_setting('block_size')::int as block_size,
            coalesce((select option_value::int from pg_options_to_table(c.reloptions) where option_name = 'fillfactor'), 100) as fillfactor,
            w.width::float8 as width
       from t join pg_class c on c.oid = t.relid
       left join pg_statio_user_tables io on io.relid = t.relid
       left join lateral (select sum(st.avg_width) as width from pg_stats st
                           where st.schemaname = t.schemaname and st.tablename = t.relname) w on true
      order by t.size desc`,
  );
  return rows.map((row) => {
    const seq = num(row.seq);
    const idx = num(row.idx);
    const hit = num(row.hit);
    const read = num(row.read);
    const age = numOrNull(row.vacuum_age_days);
    return {
      name: String(row.name),
      liveTuples: num(row.live),
      deadTuples: num(row.dead),
      seqScans: seq,
      indexScans: idx,
      indexScanPercent: seq + idx === 0 ? null : Math.round((idx / (seq + idx)) * 100_000) / 1000,
      sizeBytes: num(row.size),
      lastAutovacuum: isoOrNull(row.last_autovacuum),
      lastVacuum: isoOrNull(row.last_vacuum),
      vacuumAgeDays: age === null ? null : Math.round(age * 1000) / 1000,
      modificationsSinceAnalyze: num(row.mods),
      heapHitPercent: hit + read === 0 ? null : Math.round((hit / (hit + read)) * 100_000) / 1000,
      bloatBytes: estimateBloatBytes({
        relpages: num(row.relpages),
        reltuples: num(row.reltuples),
        avgWidth: numOrNull(row.width),
        blockSize: num(row.block_size) || 8192,
        fillfactor: num(row.fillfactor) || 100,
      }),
    };
  });
}

/** schema.table -> sequential scans since the reset, for every user table: one cheap read, twice per window. */
export async function readSeqScanCounters(session: CountingSession): Promise<Map<string, number>> {
  const rows = await session.query<{ name: string; seq: number }>(
    "select schemaname || '.' || relname as name, coalesce(seq_scan, 0)::float8 as seq from pg_stat_user_tables",
  );
  return new Map(rows.map((row) => [String(row.name), num(row.seq)]));
}
