import type { Collector } from '../collector.js';
import type { PgBouncerMetrics, PgBouncerPool, PgBouncerStats } from '../../contracts/postgres.js';
import { redactPostgresUrl, type PostgresPort, type SessionOptions } from '../../ports/postgres.js';
import { explain } from '../postgres/session.js';

type Row = Record<string, unknown>;
const n = (value: unknown): number => (value === null || value === undefined || value === '' ? 0 : Number(value));

/** SHOW POOLS + SHOW DATABASES + SHOW CONFIG -> pools with their size and use. Pure, for tests. */
export function poolsFrom(pools: Row[], databases: Row[], defaultPoolSize: number | null): PgBouncerPool[] {
  return pools
    .filter((row) => String(row.database) !== 'pgbouncer')
    .map((row) => {
      const database = databases.find((candidate) => String(candidate.name) === String(row.database));
      const size = database && n(database.pool_size) > 0 ? n(database.pool_size) : defaultPoolSize;
      const inUse = n(row.sv_active) + n(row.sv_used);
      const maxWaitSeconds = n(row.maxwait) + n(row.maxwait_us) / 1e6;
      return {
        database: String(row.database),
        user: String(row.user),
        clientsActive: n(row.cl_active),
        clientsWaiting: n(row.cl_waiting),
        serversActive: n(row.sv_active),
        serversIdle: n(row.sv_idle),
        serversUsed: n(row.sv_used),
        maxWaitSeconds: Math.round(maxWaitSeconds * 1000) / 1000,
        poolMode: String(row.pool_mode ?? database?.pool_mode ?? ''),
        poolSize: size,
        utilisationPercent: size && size > 0 ? Math.round((inUse / size) * 100_000) / 1000 : null,
      };
    });
}

/** SHOW STATS: averages over PgBouncer's last stats period (microseconds -> ms). */
export function statsFrom(rows: Row[]): PgBouncerStats[] {
  return rows
    .filter((row) => String(row.database) !== 'pgbouncer')
    .map((row) => ({
      database: String(row.database),
      transactionsPerSec: n(row.avg_xact_count),
      queriesPerSec: n(row.avg_query_count),
      avgWaitMs: Math.round(n(row.avg_wait_time) / 10) / 100,
      avgQueryMs: Math.round(n(row.avg_query_time) / 10) / 100,
    }));
}

/**
 * PgBouncer's admin console, over the simple query protocol (the only one it speaks).
 * Unreachable: `reachable: false` with the reason (password redacted), never a throw.
 */
export async function collectPgBouncer(port: PostgresPort, url: string, session: SessionOptions): Promise<PgBouncerMetrics> {
  const result: PgBouncerMetrics = {
    target: redactPostgresUrl(url),
    reachable: false,
    pools: [],
    stats: [],
    maxClientConn: null,
    defaultPoolSize: null,
    totalClients: 0,
    clientUtilisationPercent: null,
  };
  let console;
  try {
    console = await port.connect(url, { ...session, adminConsole: true });
  } catch (error) {
    result.error = explain(error);
    return result;
  }
  try {
    result.reachable = true;
    const [version] = await console.simpleQuery<Row>('SHOW VERSION');
    result.version = String(version?.version ?? '').replace(/^PgBouncer\s*/i, '');
    const config = await console.simpleQuery<Row>('SHOW CONFIG');
    const setting = (key: string) => {
      const row = config.find((candidate) => String(candidate.key) === key);
      return row === undefined ? null : n(row.value);
    };
    result.maxClientConn = setting('max_client_conn');
    result.defaultPoolSize = setting('default_pool_size');
    const databases = await console.simpleQuery<Row>('SHOW DATABASES');
    const pools = await console.simpleQuery<Row>('SHOW POOLS');
    result.pools = poolsFrom(pools, databases, result.defaultPoolSize);
    result.stats = statsFrom(await console.simpleQuery<Row>('SHOW STATS'));
    // every client of every pool (the admin console's own included)
    result.totalClients = pools.reduce((sum, row) => sum + n(row.cl_active) + n(row.cl_waiting), 0);
    result.clientUtilisationPercent =
      result.maxClientConn && result.maxClientConn > 0 ? Math.round((result.totalClients / result.maxClientConn) * 100_000) / 1000 : null;
  } catch (error) {
    result.error = explain(error);
  } finally {
    await console.close();
  }
  return result;
}

export const pgbouncerCollector: Collector<'pgbouncer'> = {
  id: 'pgbouncer',
  phase: 'database',
  component: 'database',
  label: 'PgBouncer',
  configured: (config) => config.pgbouncer.url !== undefined,
  describeTarget: (config) => redactPostgresUrl(config.pgbouncer.url ?? ''),
  async probe({ config, ports }) {
    const port = ports.postgres;
    const console = await port.connect(config.pgbouncer.url ?? '', {
      statementTimeoutMs: config.database.statementTimeoutMs,
      lockTimeoutMs: config.database.lockTimeoutMs,
      connectTimeoutMs: config.database.connectTimeoutMs,
      adminConsole: true,
    });
    try {
      const [version] = await console.simpleQuery<Row>('SHOW VERSION');
      return `admin console reachable: ${String(version?.version ?? 'PgBouncer')}`;
    } finally {
      await console.close();
    }
  },
  collect: async ({ config, ports }) => ({
    data: await collectPgBouncer(ports.postgres, config.pgbouncer.url ?? '', {
      statementTimeoutMs: config.database.statementTimeoutMs,
      lockTimeoutMs: config.database.lockTimeoutMs,
      connectTimeoutMs: config.database.connectTimeoutMs,
    }),
  }),
};
