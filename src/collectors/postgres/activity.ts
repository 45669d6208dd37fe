import { gauge } from '../../contracts/metric.js';
import type { ActivityMetrics, BlockedSession, ServerConnections, SessionSummary } from '../../contracts/postgres.js';
import { num, numOrNull, type CountingSession } from './session.js';

/** Query text of a session is cut to this many characters. */
export const SESSION_QUERY_LIMIT = 200;

const SESSION_COLUMNS = `a.pid, a.usename as user, coalesce(a.application_name, '') as application, a.state,
  extract(epoch from (now() - coalesce(case when a.state = 'active' then a.query_start else a.state_change end, now())))::float8 as duration,
  extract(epoch from (now() - a.xact_start))::float8 as xact_seconds,
  case when a.wait_event is null then null else a.wait_event_type || ':' || a.wait_event end as wait_event,
  left(regexp_replace(a.query, '\\s+', ' ', 'g'), ${SESSION_QUERY_LIMIT}) as query`;

function toSession(row: Record<string, unknown>): SessionSummary {
  return {
    pid: num(row.pid),
    user: row.user == null ? null : String(row.user),
    application: String(row.application ?? ''),
    state: row.state == null ? null : String(row.state),
    durationSeconds: Math.round(num(row.duration) * 1000) / 1000,
    transactionSeconds: numOrNull(row.xact_seconds) === null ? null : Math.round(num(row.xact_seconds) * 1000) / 1000,
    waitEvent: row.wait_event == null ? null : String(row.wait_event),
    query: row.query == null ? null : String(row.query),
  };
}

/**
 * Sessions of the current database (the profiler's own excluded), longest first, at most `limit`
 * per kind: idle in transaction, active (long-running), and waiting on a lock with their blockers.
 */
export async function readActivity(session: CountingSession, limit: number): Promise<ActivityMetrics> {
  const base = `from pg_stat_activity a where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_type = 'client backend'`;
  const idle = await session.query<Record<string, unknown>>(
    `select ${SESSION_COLUMNS} ${base} and a.state in ('idle in transaction', 'idle in transaction (aborted)')
      order by a.state_change asc limit $1`,
    [limit],
  );
  const active = await session.query<Record<string, unknown>>(
    `select ${SESSION_COLUMNS} ${base} and a.state = 'active' order by a.query_start asc limit $1`,
    [limit],
  );
  const blockedRows = await session.query<Record<string, unknown>>(
    `select ${SESSION_COLUMNS}, pg_blocking_pids(a.pid) as blocked_by ${base}
        and (a.wait_event_type = 'Lock' or a.state is null) and cardinality(pg_blocking_pids(a.pid)) > 0
      order by a.query_start asc limit $1`,
    [limit],
  );
  const blockerPids = [...new Set(blockedRows.flatMap((row) => (row.blocked_by as number[] | null) ?? []))];
  const blockers = blockerPids.length === 0
    ? []
    : (await session.query<Record<string, unknown>>(`select ${SESSION_COLUMNS} from pg_stat_activity a where a.pid = any($1::int[])`, [blockerPids])).map(toSession);
  const blocked: BlockedSession[] = blockedRows.map((row) => {
    const blockedBy = ((row.blocked_by as number[] | null) ?? []).map(Number);
    return { ...toSession(row), blockedBy, blockers: blockers.filter((candidate) => blockedBy.includes(candidate.pid)) };
  });
  return { idleInTransaction: idle.map(toSession), longRunning: active.map(toSession), blocked };
}

/** Client connections of the whole server, by state and by application, against the usable slots. */
export async function readConnections(session: CountingSession): Promise<ServerConnections> {
  const rows = await session.query<Record<string, unknown>>(
    `select a.state, coalesce(nullif(a.application_name, ''), '<none>') as application, count(*)::int as count
       from pg_stat_activity a where a.backend_type = 'client backend' group by 1, 2`,
  );
  const [limits] = await session.query<Record<string, unknown>>(
    `select current_setting('max_connections')::int as max_connections,
            current_setting('superuser_reserved_connections')::int
              + coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0) as reserved`,
  );
  const tally = (key: (row: Record<string, unknown>) => string) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + num(row.count));
    return [...counts.entries()].map(([name, count]) => ({ key: name, count })).sort((a, b) => b.count - a.count);
  };
  const total = rows.reduce((sum, row) => sum + num(row.count), 0);
  const maxConnections = num(limits?.max_connections);
  const reserved = num(limits?.reserved);
  const usable = maxConnections - reserved;
  return {
    total: gauge(total, 'connections'),
    maxConnections,
    reserved,
    utilisationPercent: gauge(usable > 0 ? Math.round((total / usable) * 100_000) / 1000 : null, '%'),
    byState: tally((row) => (row.state == null ? '<not visible>' : String(row.state))),
    byApplication: tally((row) => String(row.application)),
    invisible: rows.filter((row) => row.state == null).reduce((sum, row) => sum + num(row.count), 0),
  };
}
