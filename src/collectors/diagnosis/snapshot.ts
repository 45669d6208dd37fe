/**
 * One snapshot of the counters an attribution window compares: pg_stat_statements per
 * statement, pg_stat_user_tables per table, Redis INFO commandstats and keyspace hits/misses.
 * Every query of ours carries the tag below, so that our own statements are left out.
 */
import type { CountingSession } from '../postgres/session.js';
import { num } from '../postgres/session.js';
import { commandStatsOf, num as infoNum, parseInfo } from '../redis/info.js';
import type { RedisSession } from '../../ports/redis.js';

/** Normalised statement text kept (no parameter values: pg_stat_statements stores $n); long enough for the WHERE clause. */
export const QUERY_TEXT_LIMIT = 600;

/** In the text of every statement the diagnosis runs: pg_stat_statements rows holding it are ours. */
export const OWN_TAG = 'perf-analyze:diagnosis';

export interface StatementCounters {
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
  blksRead: number;
  blksHit: number;
}

export interface TableCounters {
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
  liveRows: number;
}

export interface Snapshot {
  atMs: number;
  statements: Map<string, StatementCounters> | null;
  tables: Map<string, TableCounters> | null;
  redis: { commands: Map<string, number>; hits: number; misses: number } | null;
}

export async function readStatementCounters(session: CountingSession, versionNum: number): Promise<Map<string, StatementCounters>> {
  const total = versionNum >= 130000 ? 'total_exec_time' : 'total_time';
  const rows = await session.query<Record<string, unknown>>(
    `/* ${OWN_TAG} */ select s.queryid::text as queryid, left(regexp_replace(s.query, '\\s+', ' ', 'g'), ${QUERY_TEXT_LIMIT}) as query,
            s.calls::float8 as calls, s.${total}::float8 as total_ms, s.rows::float8 as rows,
            s.shared_blks_read::float8 as blks_read, s.shared_blks_hit::float8 as blks_hit
       from pg_stat_statements s join pg_database d on d.oid = s.dbid
      where d.datname = current_database() and s.queryid is not null and s.query not like '%${OWN_TAG}%'`,
  );
  const map = new Map<string, StatementCounters>();
  for (const row of rows) {
    const id = String(row.queryid);
    const previous = map.get(id);
    const entry = {
      query: String(row.query ?? ''),
      calls: num(row.calls),
      totalMs: num(row.total_ms),
      rows: num(row.rows),
      blksRead: num(row.blks_read),
      blksHit: num(row.blks_hit),
    };
    // the same queryid under several roles: summed
    map.set(
      id,
      previous
        ? { ...entry, calls: entry.calls + previous.calls, totalMs: entry.totalMs + previous.totalMs, rows: entry.rows + previous.rows, blksRead: entry.blksRead + previous.blksRead, blksHit: entry.blksHit + previous.blksHit }
        : entry,
    );
  }
  return map;
}

export async function readTableCounters(session: CountingSession): Promise<Map<string, TableCounters>> {
  const rows = await session.query<Record<string, unknown>>(
    `/* ${OWN_TAG} */ select schemaname || '.' || relname as name, coalesce(seq_scan, 0)::float8 as seq, coalesce(seq_tup_read, 0)::float8 as seq_read,
            coalesce(idx_scan, 0)::float8 as idx, n_live_tup::float8 as live
       from pg_stat_user_tables order by seq_tup_read desc nulls last limit 500`,
  );
  return new Map(rows.map((row) => [String(row.name), { seqScan: num(row.seq), seqTupRead: num(row.seq_read), idxScan: num(row.idx), liveRows: num(row.live) }]));
}

/**
 * Whether any other backend may still hold table counters it has not published, read before a
 * snapshot. A backend publishes what it holds when it exits, and an idle one at the latest when its
 * idle timer fires (PGSTAT_IDLE_INTERVAL, 10 s, PostgreSQL 15+); so only a backend that is busy, or
 * went idle less than `idleHorizonMs` ago, can. Ours (this session and any `perf-analyze` one) are
 * left out: they read no user table. `null` when a backend's state is hidden (another role's
 * session without pg_read_all_stats): then nothing can be concluded.
 */
export async function otherBackendsMayHoldCounters(session: CountingSession, idleHorizonMs: number): Promise<boolean | null> {
  const rows = await session
    .query<Record<string, unknown>>(
    `/* ${OWN_TAG} */ select count(*) filter (where state is null)::int as hidden,
            count(*) filter (where state is not null and (state <> 'idle' or state_change > clock_timestamp() - make_interval(secs => $1)))::int as holding
       from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type in ('client backend', 'parallel worker')
        and coalesce(application_name, '') <> 'perf-analyze'`,
      [idleHorizonMs / 1000],
    )
    // a server without backend_type (before 10): unknown, the horizon is waited for
    .catch(() => []);
  const row = rows[0];
  if (!row || num(row.hidden) > 0) return null;
  return num(row.holding) > 0;
}

/** Leading column of each valid index of the given tables. */
export async function readIndexedColumns(session: CountingSession, tables: readonly string[]): Promise<Map<string, string[]>> {
  if (tables.length === 0) return new Map();
  const rows = await session.query<{ name: string; column: string }>(
    `/* ${OWN_TAG} */ select n.nspname || '.' || c.relname as name, a.attname as column
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
      where i.indisvalid and (n.nspname || '.' || c.relname) = any($1::text[])`,
    [tables],
  );
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.name, [...new Set([...(map.get(row.name) ?? []), row.column])].sort());
  return map;
}

export async function readRedisCounters(session: RedisSession): Promise<{ commands: Map<string, number>; hits: number; misses: number }> {
  const fields = parseInfo(String(await session.call('INFO', 'commandstats')));
  const stats = parseInfo(String(await session.call('INFO', 'stats')));
  const commands = new Map<string, number>();
  for (const [name, counters] of commandStatsOf(fields)) commands.set(name, counters.calls);
  return { commands, hits: infoNum(stats, 'keyspace_hits') ?? 0, misses: infoNum(stats, 'keyspace_misses') ?? 0 };
}
