import pLimit from 'p-limit';
import type { CollectorResult } from '../../contracts/collector.js';
import type { NotVisible, PostgresDatabaseMetrics, PostgresMetrics, PostgresServerMetrics } from '../../contracts/postgres.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../ports/clock.js';
import { parsePostgresUrl, redactPostgresUrl, type PostgresPort, type SessionOptions } from '../../ports/postgres.js';
import { readActivity, readConnections } from './activity.js';
import { databaseStatsDelta, readCacheHit, readDatabaseStats } from './database-stats.js';
import { readIndexes } from './indexes.js';
import { measureLatency, readCheckpoints, readIdentity, readReplication, readSettings, readXidAge } from './instance.js';
import { readSequences } from './sequences.js';
import { CountingSession, explain, isoOrNull } from './session.js';
import { readStatements, statStatementsState } from './statements.js';
import { readSeqScanCounters, readTables } from './tables.js';
import { adviseIndexes, hypopgInstalled } from './index-advice.js';
import { planTopStatements, readStatementCounters, type StatementCounters } from './plans.js';

/** At most this many sessions per server (DESIGN.md section 6: "a couple of connections"). */
export const MAX_CONNECTIONS_PER_SERVER = 2;
/** Sessions listed per kind (idle in transaction, long-running, blocked), longest first. */
export const SESSIONS_LISTED = 50;
/** spec alert levels: "any query > 1000 ms" is a warning; statements with a mean above this count as slow. */
export const SLOW_MEAN_MS = 1000;

export interface PostgresTarget {
  name: string;
  url: string;
}

/** database.url (named after its database) and database.databases, in that order, names made unique. */
export function postgresTargets(config: Config): PostgresTarget[] {
  const targets: PostgresTarget[] = [];
  if (config.database.url !== undefined) {
    let name = 'default';
    try {
      name = parsePostgresUrl(config.database.url).database ?? 'postgres';
    } catch {
      // the schema already validated the URL; keep the fallback name
    }
    targets.push({ name, url: config.database.url });
  }
  for (const entry of config.database.databases) targets.push({ name: entry.name, url: entry.url });
  const seen = new Map<string, number>();
  return targets.map((target) => {
    const count = (seen.get(target.name) ?? 0) + 1;
    seen.set(target.name, count);
    return count === 1 ? target : { ...target, name: `${target.name}-${count}` };
  });
}

export function serverKey(url: string): string {
  const parts = parsePostgresUrl(url);
  return `${parts.host.includes(':') ? `[${parts.host}]` : parts.host}:${parts.port}`;
}

export interface PostgresCollectorOptions {
  targets: PostgresTarget[];
  sampleSeconds: number;
  latencySamples: number;
  topStatements: number;
  session: SessionOptions;
  signal: AbortSignal;
  /** statements planned (top by total time); default PLANNED_STATEMENTS, 0 = no plans */
  planStatements?: number;
  /** EXPLAIN ANALYZE (executes the statement) for SELECTs without parameters; default false */
  explainAnalyze?: boolean;
}

/** Top statements by total time whose plans are read (each is one EXPLAIN, plus a few with HypoPG). */
export const PLANNED_STATEMENTS = 20;

/** Role-dependent blind spots, said up front so that an empty list is never read as "all clear". */
function privilegeBlindSpots(readAllStats: boolean, role: string): NotVisible[] {
  if (readAllStats) return [];
  const grant = `GRANT pg_monitor TO ${role}`;
  return [
    {
      check: 'sessions of other roles (idle in transaction, long-running and blocked queries, connections by state)',
      reason: `role ${role} is not a member of pg_read_all_stats: PostgreSQL hides the state and query of other roles' sessions; ${grant}`,
    },
    {
      check: "query text of other roles' statements in pg_stat_statements",
      reason: `role ${role} is not a member of pg_read_all_stats: their text shows as <insufficient privilege>; ${grant}`,
    },
  ];
}

/**
 * The PostgreSQL part of the database phase. Each configured database gets one read-only
 * session (at most two per server at a time); the pg_stat_database counters are read at the
 * start and the end of the sampling window and every other check runs inside the window.
 * An unreachable database is recorded (reachable: false) for the availability rule: the
 * collector throws only when it is given nothing to do.
 */
export async function collectPostgres(port: PostgresPort, clock: Clock, options: PostgresCollectorOptions): Promise<CollectorResult<PostgresMetrics>> {
  const servers = new Map<string, PostgresServerMetrics>();
  const claimed = new Set<string>();
  const limits = new Map<string, ReturnType<typeof pLimit>>();
  const windowMs = options.sampleSeconds * 1000;

  const one = async (target: PostgresTarget): Promise<PostgresDatabaseMetrics> => {
    const entry: PostgresDatabaseMetrics = { name: target.name, target: redactPostgresUrl(target.url), reachable: false, notVisible: [] };
    let key: string;
    try {
      key = serverKey(target.url);
    } catch (error) {
      entry.error = explain(error);
      return entry;
    }
    entry.server = key;
    const started = clock.monotonicMs();
    let raw;
    try {
      raw = await port.connect(target.url, options.session);
    } catch (error) {
      entry.error = explain(error);
      return entry;
    }
    entry.reachable = true;
    entry.connectMs = Math.round((clock.monotonicMs() - started) * 1000) / 1000;
    const session = new CountingSession(raw);
    try {
      const identity = await readIdentity(session);
      entry.privileges = identity.privileges;
      const first = await readDatabaseStats(session, () => clock.monotonicMs());

      if (!claimed.has(key)) {
        claimed.add(key);
        servers.set(key, await readServer(session, key, identity, options, clock));
      }

      const state = await session.attempt('pg_stat_statements', () => statStatementsState(session), { installed: false, loaded: false });
      // the window's start for the statements' shares and the tables' sequential scans
      const statementsAtStart: StatementCounters | null =
        state.installed && state.loaded ? await session.attempt('statement counters', () => readStatementCounters(session, identity.versionNum), null) : null;
      const scansAtStart = await session.attempt('sequential scan counters', () => readSeqScanCounters(session), null);
      entry.cacheHit = await session.attempt('cache hit ratios', () => readCacheHit(session), undefined);
      if (state.installed && state.loaded) {
        entry.statements = await session.attempt(
          'pg_stat_statements',
          () => readStatements(session, identity.versionNum, { top: options.topStatements, slowMeanMs: SLOW_MEAN_MS, now: clock.now() }),
          null,
        );
        identity.privileges.statStatements = entry.statements !== null;
      } else {
        entry.statements = null;
        const why = !state.loaded
          ? "pg_stat_statements is not in shared_preload_libraries (add it to postgresql.conf and restart), then CREATE EXTENSION pg_stat_statements in this database"
          : 'the extension is not created in this database: CREATE EXTENSION pg_stat_statements';
        session.notVisible.push({ check: 'query performance (pg_stat_statements)', reason: why });
      }
      entry.activity = await session.attempt('sessions (pg_stat_activity)', () => readActivity(session, SESSIONS_LISTED), undefined);
      entry.tables = await session.attempt('tables (pg_stat_user_tables)', () => readTables(session), undefined);
      entry.indexes = await session.attempt('indexes (pg_index)', () => readIndexes(session), undefined);
      entry.sequences = await session.attempt('sequences (pg_sequences)', () => readSequences(session), undefined);
      entry.statsResetAt = await session.attempt(
        'statistics reset time',
        async () => isoOrNull((await session.query<{ reset: unknown }>('select stats_reset as reset from pg_stat_database where datname = current_database()'))[0]?.reset),
        null,
      );

      await clock.sleep(Math.max(0, windowMs - (clock.monotonicMs() - first.atMs)), options.signal);
      const second = await readDatabaseStats(session, () => clock.monotonicMs());
      entry.stats = databaseStatsDelta(first, second);
      const scansAtEnd = scansAtStart === null ? null : await session.attempt('sequential scan counters', () => readSeqScanCounters(session), null);
      const indexCount = new Map<string, number>();
      for (const index of entry.indexes ?? []) indexCount.set(index.table, (indexCount.get(index.table) ?? 0) + 1);
      for (const table of entry.tables ?? []) {
        table.indexCount = indexCount.get(table.name) ?? 0;
        const before = scansAtStart?.get(table.name);
        const after = scansAtEnd?.get(table.name);
        table.seqScansInWindow = before === undefined || after === undefined ? null : Math.max(0, after - before);
      }
      // plans after the window: the EXPLAINs are not the workload being measured
      const planCount = options.planStatements ?? PLANNED_STATEMENTS;
      if (entry.statements && planCount > 0 && !options.signal.aborted) {
        const planStarted = clock.monotonicMs();
        entry.queryPlans = await session.attempt(
          'query plans (EXPLAIN of the top statements)',
          async () => {
            const settings = { versionNum: identity.versionNum, statementTimeoutMs: options.session.statementTimeoutMs, explainAnalyze: options.explainAnalyze === true };
            const plans = await planTopStatements(session, { ...settings, top: planCount, signal: options.signal }, statementsAtStart);
            const hypopg = await hypopgInstalled(session);
            const { advice, skipped } = await adviseIndexes(session, plans.statements, { ...settings, hypopg, signal: options.signal });
            return {
              hypopg,
              explainAnalyze: settings.explainAnalyze,
              totalMs: plans.totalMs,
              windowTotalMs: plans.windowTotalMs,
              statements: plans.statements.map((statement) => statement.report),
              advice,
              skipped,
              durationMs: Math.round(clock.monotonicMs() - planStarted),
            };
          },
          null,
        );
        const denied = entry.queryPlans?.statements.filter((statement) => /permission denied/i.test(statement.planError ?? '')) ?? [];
        if (denied.length > 0) {
          session.notVisible.push({
            check: `plans of ${denied.length} top statements (EXPLAIN)`,
            reason:
              `role ${identity.privileges.role} may not read their tables, and EXPLAIN needs the SELECT privilege: ` +
              `GRANT pg_read_all_data TO ${identity.privileges.role} (PostgreSQL 14+), or SELECT on those tables`,
          });
        }
      }
      entry.notVisible = [...privilegeBlindSpots(identity.privileges.readAllStats, identity.privileges.role), ...session.notVisible];
    } catch (error) {
      // the server went away or a core query failed: what was gathered stays, with the reason
      entry.error = explain(error);
      entry.notVisible = [...session.notVisible, { check: 'remaining checks', reason: explain(error) }];
    } finally {
      await session.close();
    }
    return entry;
  };

  const databases = await Promise.all(
    options.targets.map((target) => {
      let key = 'unparsable';
      try {
        key = serverKey(target.url);
      } catch {
        // reported by one() itself
      }
      const limit = limits.get(key) ?? pLimit(MAX_CONNECTIONS_PER_SERVER);
      limits.set(key, limit);
      return limit(() => one(target));
    }),
  );
  const data: PostgresMetrics = {
    servers: [...servers.values()],
    databases,
    limits: { sessionsListed: SESSIONS_LISTED, slowMeanMs: SLOW_MEAN_MS },
  };
  if (options.signal.aborted) return { data, partial: 'interrupted: the sampling window was cut short' };
  // a database that failed (unreachable, or lost in the middle) makes the phase partial, with the reason
  const failed = databases.filter((database) => database.error !== undefined);
  return failed.length > 0 ? { data, partial: failed.map((database) => `${database.name}: ${database.error}`).join('; ') } : { data };
}

async function readServer(
  session: CountingSession,
  key: string,
  identity: Awaited<ReturnType<typeof readIdentity>>,
  options: PostgresCollectorOptions,
  clock: Clock,
): Promise<PostgresServerMetrics> {
  const before = session.notVisible.length;
  const connections = await readConnections(session);
  const settings = await session.attempt('settings review', () => readSettings(session), []);
  const checkpoints = await session.attempt('checkpoints', () => readCheckpoints(session, identity.versionNum), null);
  const replication = await session.attempt('replication', () => readReplication(session), { isReplica: false, replicas: [], slots: [] });
  const xidAge = await session.attempt('transaction ID age', () => readXidAge(session), []);
  const latency = await measureLatency(session, options.latencySamples, () => clock.monotonicMs(), options.signal);
  const notVisible = session.notVisible.splice(before);
  return {
    server: key,
    version: identity.version,
    versionNum: identity.versionNum,
    readFrom: identity.database,
    startedAt: identity.startedAt,
    connections,
    settings,
    checkpoints,
    replication,
    xidAge,
    latency,
    notVisible,
  };
}
