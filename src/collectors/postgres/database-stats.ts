import { cumulative, delta, type Metric } from '../../contracts/metric.js';
import type { DatabaseStatsDelta } from '../../contracts/postgres.js';
import { isoOrNull, num, type CountingSession } from './session.js';

/** One reading of pg_stat_database for the current database. */
export interface DatabaseStatsSample {
  atMs: number;
  commits: number;
  rollbacks: number;
  blocksRead: number;
  blocksHit: number;
  tuplesReturned: number;
  tuplesFetched: number;
  tempFiles: number;
  tempBytes: number;
  deadlocks: number;
  statsReset: string | null;
  /** the profiler's own statements so far on this session (taken out of the deltas) */
  ownCommits: number;
  ownRollbacks: number;
}

export async function readDatabaseStats(session: CountingSession, atMs: () => number): Promise<DatabaseStatsSample> {
  // counted before the query runs: its own commit lands in the counters it reads only once it finishes
  const ownCommits = session.commits;
  const ownRollbacks = session.rollbacks;
  const [row] = await session.query<Record<string, unknown>>(
    `select xact_commit::float8 as commits, xact_rollback::float8 as rollbacks, blks_read::float8 as blocks_read,
            blks_hit::float8 as blocks_hit, tup_returned::float8 as tuples_returned, tup_fetched::float8 as tuples_fetched,
            temp_files::float8 as temp_files, temp_bytes::float8 as temp_bytes, deadlocks::float8 as deadlocks, stats_reset
       from pg_stat_database where datname = current_database()`,
  );
  const at = atMs();
  return {
    atMs: at,
    commits: num(row?.commits),
    rollbacks: num(row?.rollbacks),
    blocksRead: num(row?.blocks_read),
    blocksHit: num(row?.blocks_hit),
    tuplesReturned: num(row?.tuples_returned),
    tuplesFetched: num(row?.tuples_fetched),
    tempFiles: num(row?.temp_files),
    tempBytes: num(row?.temp_bytes),
    deadlocks: num(row?.deadlocks),
    statsReset: isoOrNull(row?.stats_reset),
    ownCommits,
    ownRollbacks,
  };
}

/**
 * Rates over the window between two readings (DESIGN.md section 5), with the profiler's own
 * transactions taken out. A counter that went backwards (stats reset mid-window) gives null.
 */
export function databaseStatsDelta(first: DatabaseStatsSample, second: DatabaseStatsSample): DatabaseStatsDelta {
  const windowMs = Math.max(1, Math.round(second.atMs - first.atMs));
  const seconds = windowMs / 1000;
  const diff = (pick: (sample: DatabaseStatsSample) => number, own = 0): number | null => {
    const value = pick(second) - pick(first) - own;
    return pick(second) < pick(first) ? null : Math.max(0, value);
  };
  const rate = (value: number | null, unit: string): Metric => delta(value === null ? null : value / seconds, unit, windowMs);
  const commits = diff((s) => s.commits, second.ownCommits - first.ownCommits);
  const rollbacks = diff((s) => s.rollbacks, second.ownRollbacks - first.ownRollbacks);
  const transactions = commits === null || rollbacks === null ? null : commits + rollbacks;
  const totalSinceReset = second.commits + second.rollbacks;
  return {
    windowMs,
    transactionsPerSec: rate(transactions, 'transactions/s'),
    commitsPerSec: rate(commits, 'commits/s'),
    rollbacksPerSec: rate(rollbacks, 'rollbacks/s'),
    rollbackPercent: delta(transactions ? ((rollbacks ?? 0) / transactions) * 100 : null, '%', windowMs),
    blocksReadPerSec: rate(diff((s) => s.blocksRead), 'blocks/s'),
    blocksHitPerSec: rate(diff((s) => s.blocksHit), 'blocks/s'),
    tuplesReturnedPerSec: rate(diff((s) => s.tuplesReturned), 'tuples/s'),
    tuplesFetchedPerSec: rate(diff((s) => s.tuplesFetched), 'tuples/s'),
    tempFiles: delta(diff((s) => s.tempFiles), 'files', windowMs),
    tempBytes: delta(diff((s) => s.tempBytes), 'bytes', windowMs),
    deadlocks: delta(diff((s) => s.deadlocks), 'deadlocks', windowMs),
    rollbackPercentSinceReset: cumulative(totalSinceReset > 0 ? (second.rollbacks / totalSinceReset) * 100 : null, '%'),
    statsReset: second.statsReset,
  };
}

/** Table and index cache hit ratios since the statistics were reset (PgHero's definition). */
export async function readCacheHit(session: CountingSession): Promise<{ tablePercent: Metric; indexPercent: Metric }> {
  const [row] = await session.query<Record<string, unknown>>(
    `select (select sum(heap_blks_hit)::float8 from pg_statio_user_tables) as heap_hit,
            (select sum(heap_blks_read)::float8 from pg_statio_user_tables) as heap_read,
            (select sum(idx_blks_hit)::float8 from pg_statio_user_indexes) as idx_hit,
            (select sum(idx_blks_read)::float8 from pg_statio_user_indexes) as idx_read`,
  );
  const ratio = (hit: unknown, read: unknown): number | null => {
    const total = num(hit) + num(read);
    return total === 0 ? null : (num(hit) / total) * 100;
  };
  return {
    tablePercent: cumulative(ratio(row?.heap_hit, row?.heap_read), '%'),
    indexPercent: cumulative(ratio(row?.idx_hit, row?.idx_read), '%'),
  };
}
