import { gauge } from '../../contracts/metric.js';
import type { DatabaseXidAge, LatencySummary, PostgresPrivileges, PostgresServerMetrics, PostgresSettingsReview } from '../../contracts/postgres.js';
import { isoOrNull, num, numOrNull, type CountingSession } from './session.js';

export interface ServerIdentity {
  version: string;
  versionNum: number;
  startedAt: string | null;
  database: string;
  privileges: PostgresPrivileges;
}

/** Version, start time and what this role may see. */
export async function readIdentity(session: CountingSession): Promise<ServerIdentity> {
  const [row] = await session.query<Record<string, unknown>>(
    `select current_setting('server_version_num')::int as version_num, current_setting('server_version') as version,
            pg_postmaster_start_time() as started, current_database() as database, current_user as role,
            r.rolsuper as superuser, pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') as read_all_stats
       from pg_roles r where r.rolname = current_user`,
  );
  return {
    version: String(row?.version ?? '').split(' ')[0] ?? '',
    versionNum: num(row?.version_num),
    startedAt: isoOrNull(row?.started),
    database: String(row?.database ?? ''),
    privileges: {
      role: String(row?.role ?? ''),
      superuser: row?.superuser === true,
      readAllStats: row?.superuser === true || row?.read_all_stats === true,
      statStatements: false,
    },
  };
}

/** Settings reviewed as info: memory, planner cost and connection settings. */
export const REVIEWED_SETTINGS = [
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'maintenance_work_mem',
  'random_page_cost',
  'max_connections',
  'checkpoint_timeout',
  'max_wal_size',
] as const;

const UNIT_BYTES: Record<string, number> = { B: 1, kB: 1024, '8kB': 8192, '16kB': 16384, '32kB': 32768, MB: 1024 ** 2, GB: 1024 ** 3 };

export async function readSettings(session: CountingSession): Promise<PostgresSettingsReview[]> {
  const rows = await session.query<Record<string, unknown>>(
    `select name, setting, coalesce(unit, '') as unit, current_setting(name) as shown from pg_settings where name = any($1::text[]) order by name`,
    [REVIEWED_SETTINGS],
  );
  return rows.map((row) => {
    const unit = String(row.unit);
    const raw = Number(row.setting);
    const factor = UNIT_BYTES[unit];
    return {
      name: String(row.name),
      value: String(row.shown),
      numeric: Number.isFinite(raw) ? (factor !== undefined ? raw * factor : raw) : null,
      unit: factor !== undefined ? 'bytes' : unit,
    };
  });
}

/** Checkpoints timed vs requested: pg_stat_bgwriter up to 16, pg_stat_checkpointer from 17. */
export async function readCheckpoints(session: CountingSession, versionNum: number): Promise<PostgresServerMetrics['checkpoints']> {
  const sql =
    versionNum >= 170000
      ? 'select num_timed::float8 as timed, num_requested::float8 as requested from pg_stat_checkpointer'
      : 'select checkpoints_timed::float8 as timed, checkpoints_req::float8 as requested from pg_stat_bgwriter';
  const [row] = await session.query<Record<string, unknown>>(sql);
  const timed = num(row?.timed);
  const requested = num(row?.requested);
  const total = timed + requested;
  return { timed, requested, requestedPercent: { ...gauge(total === 0 ? null : Math.round((requested / total) * 100_000) / 1000, '%'), sampling: 'cumulative' } };
}

export async function readReplication(session: CountingSession): Promise<PostgresServerMetrics['replication']> {
  const [recovery] = await session.query<{ replica: boolean }>('select pg_is_in_recovery() as replica');
  const isReplica = recovery?.replica === true;
  const lsn = isReplica ? 'pg_last_wal_replay_lsn()' : 'pg_current_wal_lsn()';
  const replicas = isReplica
    ? []
    : await session.query<Record<string, unknown>>(
        `select coalesce(application_name, '') as application_name, client_addr::text as client_addr, coalesce(state, '') as state,
                pg_wal_lsn_diff(${lsn}, replay_lsn)::float8 as lag_bytes, extract(epoch from replay_lag)::float8 as lag_seconds
           from pg_stat_replication`,
      );
  const slots = await session.query<Record<string, unknown>>(
    `select slot_name, slot_type, active, pg_wal_lsn_diff(${lsn}, restart_lsn)::float8 as retained from pg_replication_slots`,
  );
  return {
    isReplica,
    replicas: replicas.map((row) => ({
      applicationName: String(row.application_name),
      clientAddr: row.client_addr == null ? null : String(row.client_addr),
      state: String(row.state),
      replayLagBytes: numOrNull(row.lag_bytes),
      replayLagSeconds: numOrNull(row.lag_seconds),
    })),
    slots: slots.map((row) => ({
      name: String(row.slot_name),
      type: String(row.slot_type),
      active: row.active === true,
      retainedBytes: numOrNull(row.retained),
    })),
  };
}

/** Transaction ID age of every database that accepts connections (wraparound stops the server at ~2.1 billion). */
export async function readXidAge(session: CountingSession): Promise<DatabaseXidAge[]> {
  const rows = await session.query<Record<string, unknown>>(
    'select datname, age(datfrozenxid)::float8 as age from pg_database where datallowconn order by 2 desc',
  );
  return rows.map((row) => ({ database: String(row.datname), age: num(row.age) }));
}

/** `SELECT 1` round trips, timed with the monotonic clock; exact percentiles of the (small) sample. */
export async function measureLatency(session: CountingSession, samples: number, monotonicMs: () => number, signal: AbortSignal): Promise<LatencySummary> {
  const times: number[] = [];
  for (let i = 0; i < samples && !signal.aborted; i++) {
    const started = monotonicMs();
    await session.query('select 1');
    times.push(monotonicMs() - started);
  }
  return latencySummary(times);
}

/** Nearest-rank percentiles (no interpolation, never an average of percentiles). */
export function latencySummary(times: readonly number[]): LatencySummary {
  const sorted = [...times].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  const r = (value: number) => Math.round(value * 1000) / 1000;
  return { samples: sorted.length, p50Ms: r(rank(50)), p99Ms: r(rank(99)), maxMs: r(sorted[sorted.length - 1] ?? 0) };
}
