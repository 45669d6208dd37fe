import { cumulative } from '../../contracts/metric.js';
import type { StatementSummary, StatementsMetrics } from '../../contracts/postgres.js';
import { isoOrNull, num, type CountingSession } from './session.js';

/** Normalised statement text is cut to this many characters (it never holds parameters: pg_stat_statements stores $n). */
export const QUERY_TEXT_LIMIT = 200;
/** Hours of history before a count of slow calls is turned into a per-hour rate (the spec's unit is the hour). */
export const MIN_RATE_HOURS = 1;

/** Whether pg_stat_statements can be read here: created in this database and loaded at server start. */
export async function statStatementsState(session: CountingSession): Promise<{ installed: boolean; loaded: boolean }> {
  const [row] = await session.query<{ installed: boolean; loaded: boolean }>(
    `select exists (select 1 from pg_extension where extname = 'pg_stat_statements') as installed,
            coalesce(current_setting('shared_preload_libraries', true), '') ~ '(^|[ ,])pg_stat_statements($|[ ,])' as loaded`,
  );
  return { installed: row?.installed === true, loaded: row?.loaded === true };
}

/**
 * Query performance from pg_stat_statements, for the current database: totals, the share of
 * slow statements (mean above `slowMeanMs`) and the top lists. Column names changed in 13
 * (total_time -> total_exec_time); 14 added pg_stat_statements_info (its stats_reset is "since").
 */
export async function readStatements(
  session: CountingSession,
  versionNum: number,
  options: { top: number; slowMeanMs: number; now: Date },
): Promise<StatementsMetrics> {
  const total = versionNum >= 130000 ? 'total_exec_time' : 'total_time';
  const mean = versionNum >= 130000 ? 'mean_exec_time' : 'mean_time';
  const from = `from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = current_database()`;

  const [totals] = await session.query<Record<string, unknown>>(
    `select coalesce(sum(calls), 0)::float8 as calls, coalesce(sum(${total}), 0)::float8 as total_ms,
            coalesce(sum(calls) filter (where ${mean} > $1), 0)::float8 as slow_calls ${from}`,
    [options.slowMeanMs],
  );
  const sinceQuery =
    versionNum >= 140000
      ? `select coalesce((select stats_reset from pg_stat_statements_info), pg_postmaster_start_time()) as since`
      : `select pg_postmaster_start_time() as since`;
  const [sinceRow] = await session.query<Record<string, unknown>>(sinceQuery);
  const since = isoOrNull(sinceRow?.since);
  const totalMs = num(totals?.total_ms);
  const calls = num(totals?.calls);

  const top = async (orderBy: string): Promise<StatementSummary[]> => {
    const rows = await session.query<Record<string, unknown>>(
      `select coalesce(s.queryid::text, '') as queryid, left(regexp_replace(s.query, '\\s+', ' ', 'g'), ${QUERY_TEXT_LIMIT}) as query,
              s.calls::float8 as calls, s.${total}::float8 as total_ms, s.${mean}::float8 as mean_ms, s.rows::float8 as rows
         ${from} order by ${orderBy} desc limit $1`,
      [options.top],
    );
    return rows.map((row) => ({
      queryId: String(row.queryid),
      query: String(row.query ?? ''),
      calls: num(row.calls),
      totalMs: round(num(row.total_ms)),
      meanMs: round(num(row.mean_ms)),
      rows: num(row.rows),
      sharePercent: totalMs > 0 ? round((num(row.total_ms) / totalMs) * 100) : 0,
    }));
  };

  const hours = since === null ? null : (options.now.getTime() - Date.parse(since)) / 3_600_000;
  const slowCalls = num(totals?.slow_calls);
  // a count over less than an hour is not extrapolated to a rate (one bulk load a minute ago is not "60 per hour"):
  // under an hour of history the rate is the count itself, which that hour held at least
  const slowPerHour = hours === null ? null : hours < MIN_RATE_HOURS ? slowCalls : slowCalls / hours;
  return {
    since,
    totalCalls: calls,
    totalMs: round(totalMs),
    averageMs: cumulative(calls > 0 ? round(totalMs / calls) : null, 'ms'),
    slowCallsPerHour: cumulative(slowPerHour === null ? null : round(slowPerHour), 'calls/h'),
    slowCalls,
    historyHours: hours === null ? null : round(hours),
    slowMeanMs: options.slowMeanMs,
    topByTotalTime: await top(`s.${total}`),
    topByMeanTime: await top(`s.${mean}`),
    topByCalls: await top('s.calls'),
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
