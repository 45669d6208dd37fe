/**
 * Hand-built PostgreSQL and PgBouncer facts for rule, scoring and schema tests: a healthy
 * server with one database and one pool, every value inside DEFAULT_THRESHOLDS, which a test
 * changes in place to build the case it needs. Every optional field is present.
 */
import type { Artifacts } from '../../src/contracts/artifact.js';
import type { Finding } from '../../src/contracts/finding.js';
import { cumulative, delta, gauge } from '../../src/contracts/metric.js';
import type { PgBouncerMetrics, PostgresMetrics, SessionSummary, StatementSummary } from '../../src/contracts/postgres.js';
import type { Rule } from '../../src/contracts/rule.js';
import { mergeThresholds, type ThresholdOverrides } from '../../src/rules/thresholds.js';
import { evaluateRule } from '../../src/rules/engine.js';

const WINDOW = 5000;

export const session = (change: Partial<SessionSummary> = {}): SessionSummary => ({
  pid: 4242,
  user: 'app',
  application: 'api-worker',
  state: 'active',
  durationSeconds: 0.2,
  transactionSeconds: 0.2,
  waitEvent: null,
  query: 'SELECT * FROM orders WHERE id = $1',
  ...change,
});

export const statement = (change: Partial<StatementSummary> = {}): StatementSummary => ({
  queryId: '1234567890',
  query: 'SELECT * FROM orders WHERE customer_id = $1',
  calls: 50_000,
  totalMs: 100_000,
  meanMs: 2,
  rows: 50_000,
  sharePercent: 40,
  ...change,
});

export function healthyPostgres(change?: (postgres: PostgresMetrics) => void): PostgresMetrics {
  const postgres: PostgresMetrics = {
    servers: [
      {
        server: '127.0.0.1:5432',
        version: '15.8',
        versionNum: 150008,
        readFrom: 'shop',
        startedAt: '2026-11-20T10:00:00.000Z',
        connections: {
          total: gauge(20, 'connections'),
          maxConnections: 100,
          reserved: 3,
          utilisationPercent: gauge(20.619, '%'),
          byState: [{ key: 'idle', count: 15 }, { key: 'active', count: 5 }],
          byApplication: [{ key: 'api-worker', count: 19 }, { key: 'perf-analyze', count: 1 }],
          invisible: 0,
        },
        settings: [
          { name: 'shared_buffers', value: '4GB', numeric: 4 * 1024 ** 3, unit: 'bytes' },
          { name: 'work_mem', value: '4MB', numeric: 4 * 1024 ** 2, unit: 'bytes' },
          { name: 'max_connections', value: '100', numeric: 100, unit: '' },
          { name: 'random_page_cost', value: '1.1', numeric: 1.1, unit: '' },
          { name: 'max_wal_size', value: '1GB', numeric: 1024 ** 3, unit: 'bytes' },
        ],
        checkpoints: { timed: 900, requested: 100, requestedPercent: cumulative(10, '%') },
        replication: {
          isReplica: false,
          replicas: [{ applicationName: 'replica-1', clientAddr: '10.0.0.2', state: 'streaming', replayLagBytes: 1024, replayLagSeconds: 0.01 }],
          slots: [{ name: 'replica_1', type: 'physical', active: true, retainedBytes: 1024 }],
        },
        xidAge: [{ database: 'shop', age: 50_000_000 }],
        latency: { samples: 20, p50Ms: 0.2, p99Ms: 0.9, maxMs: 1.1 },
        notVisible: [],
      },
    ],
    databases: [
      {
        name: 'shop',
        target: 'postgres://app@127.0.0.1:5432/shop',
        reachable: true,
        server: '127.0.0.1:5432',
        connectMs: 3.2,
        privileges: { role: 'perf', superuser: false, readAllStats: true, statStatements: true },
        stats: {
          windowMs: WINDOW,
          transactionsPerSec: delta(120, 'transactions/s', WINDOW),
          commitsPerSec: delta(119, 'commits/s', WINDOW),
          rollbacksPerSec: delta(1, 'rollbacks/s', WINDOW),
          rollbackPercent: delta(0.833, '%', WINDOW),
          blocksReadPerSec: delta(2, 'blocks/s', WINDOW),
          blocksHitPerSec: delta(5000, 'blocks/s', WINDOW),
          tuplesReturnedPerSec: delta(9000, 'tuples/s', WINDOW),
          tuplesFetchedPerSec: delta(3000, 'tuples/s', WINDOW),
          tempFiles: delta(0, 'files', WINDOW),
          tempBytes: delta(0, 'bytes', WINDOW),
          deadlocks: delta(0, 'deadlocks', WINDOW),
          rollbackPercentSinceReset: cumulative(0.5, '%'),
          statsReset: '2026-11-01T00:00:00.000Z',
        },
        cacheHit: { tablePercent: cumulative(99.8, '%'), indexPercent: cumulative(99.9, '%') },
        statements: {
          since: '2026-11-01T00:00:00.000Z',
          totalCalls: 125_000,
          totalMs: 250_000,
          averageMs: cumulative(2, 'ms'),
          slowCallsPerHour: cumulative(0, 'calls/h'),
          slowMeanMs: 1000,
          topByTotalTime: [statement()],
          topByMeanTime: [statement()],
          topByCalls: [statement()],
        },
        activity: {
          idleInTransaction: [session({ pid: 5001, state: 'idle in transaction', durationSeconds: 2, transactionSeconds: 3 })],
          longRunning: [session()],
          blocked: [],
        },
        tables: [
          {
            name: 'public.orders',
            liveTuples: 1_000_000,
            deadTuples: 5_000,
            seqScans: 10,
            indexScans: 100_000,
            indexScanPercent: 99.99,
            sizeBytes: 200_000_000,
            lastAutovacuum: '2026-11-26T00:00:00.000Z',
            lastVacuum: null,
            vacuumAgeDays: 1.5,
            modificationsSinceAnalyze: 100,
            heapHitPercent: 99.9,
            bloatBytes: 1_000_000,
          },
        ],
        indexes: [
          {
            name: 'public.orders_pkey',
            table: 'public.orders',
            scans: 100_000,
            sizeBytes: 22_000_000,
            valid: true,
            unique: true,
            primary: true,
            definition: 'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)',
            duplicateOf: null,
          },
        ],
        sequences: [{ name: 'public.orders_id_seq', lastValue: 1_000_000, maxValue: 2147483647, columnType: 'integer', usedPercent: 0.047 }],
        statsResetAt: '2026-11-01T00:00:00.000Z',
        notVisible: [],
      },
    ],
    limits: { sessionsListed: 50, slowMeanMs: 1000 },
  };
  change?.(postgres);
  return postgres;
}

export function healthyPgBouncer(change?: (pgbouncer: PgBouncerMetrics) => void): PgBouncerMetrics {
  const pgbouncer: PgBouncerMetrics = {
    target: 'postgres://pgbouncer@127.0.0.1:6432/pgbouncer',
    reachable: true,
    version: '1.18.0',
    pools: [
      {
        database: 'shop',
        user: 'app',
        clientsActive: 10,
        clientsWaiting: 0,
        serversActive: 5,
        serversIdle: 5,
        serversUsed: 0,
        maxWaitSeconds: 0,
        poolMode: 'transaction',
        poolSize: 20,
        utilisationPercent: 25,
      },
    ],
    stats: [{ database: 'shop', transactionsPerSec: 100, queriesPerSec: 300, avgWaitMs: 0.1, avgQueryMs: 1.5 }],
    maxClientConn: 100,
    defaultPoolSize: 20,
    totalClients: 10,
    clientUtilisationPercent: 10,
  };
  change?.(pgbouncer);
  return pgbouncer;
}

export function databaseArtifacts(postgres: PostgresMetrics | null, pgbouncer: PgBouncerMetrics | null = null): Artifacts {
  return {
    ...(postgres ? { postgres: { status: 'ok' as const, durationMs: 100, data: postgres } } : {}),
    ...(pgbouncer ? { pgbouncer: { status: 'ok' as const, durationMs: 10, data: pgbouncer } } : {}),
  };
}

/** Runs a rule on the healthy facts changed by `change` (and `changeBouncer`), with threshold overrides. */
export function evaluateDatabase(
  rule: Rule,
  change?: (postgres: PostgresMetrics) => void,
  overrides: ThresholdOverrides = {},
  changeBouncer?: (pgbouncer: PgBouncerMetrics) => void,
): Finding[] | null {
  return evaluateRule(rule, { artifacts: databaseArtifacts(healthyPostgres(change), healthyPgBouncer(changeBouncer)), thresholds: mergeThresholds(overrides) });
}

export interface DatabaseRuleCase {
  name: string;
  change?: (postgres: PostgresMetrics) => void;
  changeBouncer?: (pgbouncer: PgBouncerMetrics) => void;
  thresholds?: ThresholdOverrides;
  /** null = not applicable */
  expected: Array<{ subject: string; severity: string; value: number | string | null; threshold: number | string | null }> | null;
}
