import type { Metric } from './metric.js';

/**
 * Facts the PostgreSQL collector gathers: one entry per PostgreSQL server (instance-wide
 * facts: connections, settings, checkpoints, replication, transaction ID age, round-trip
 * latency) and one per configured database (database-scoped facts: pg_stat_database deltas,
 * pg_stat_statements, activity, tables, indexes, sequences). Every URL is redacted.
 */

/** A check that could not be run for this role or server, and why (the report says so). */
export interface NotVisible {
  check: string;
  reason: string;
}

export interface PostgresPrivileges {
  role: string;
  superuser: boolean;
  /** member of pg_read_all_stats (directly or through pg_monitor): sees every session and query text */
  readAllStats: boolean;
  /** pg_stat_statements is created in this database and readable */
  statStatements: boolean;
}

export interface ConnectionsByKey {
  key: string;
  count: number;
}

export interface ServerConnections {
  total: Metric;
  maxConnections: number;
  /** superuser_reserved_connections (+ reserved_connections on 16+) */
  reserved: number;
  /** total / (max_connections - reserved) */
  utilisationPercent: Metric;
  byState: ConnectionsByKey[];
  byApplication: ConnectionsByKey[];
  /** sessions whose state perf-analyze could not see (other roles without pg_read_all_stats) */
  invisible: number;
}

export interface PostgresSettingsReview {
  name: string;
  /** as the server shows it (e.g. "128MB") */
  value: string;
  /** in bytes for memory settings, plain number otherwise; null when not numeric */
  numeric: number | null;
  unit: string;
}

export interface ReplicaLag {
  applicationName: string;
  clientAddr: string | null;
  state: string;
  /** bytes of WAL the replica has not replayed */
  replayLagBytes: number | null;
  replayLagSeconds: number | null;
}

export interface ReplicationSlot {
  name: string;
  type: string;
  active: boolean;
  /** bytes of WAL the slot holds back */
  retainedBytes: number | null;
}

export interface DatabaseXidAge {
  database: string;
  age: number;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PostgresServerMetrics {
  /** host:port */
  server: string;
  /** e.g. "15.8" */
  version: string;
  versionNum: number;
  /** the database the instance-wide facts were read from */
  readFrom: string;
  startedAt: string | null;
  connections: ServerConnections;
  settings: PostgresSettingsReview[];
  checkpoints: { timed: number; requested: number; requestedPercent: Metric } | null;
  replication: { isReplica: boolean; replicas: ReplicaLag[]; slots: ReplicationSlot[] };
  xidAge: DatabaseXidAge[];
  latency: LatencySummary;
  notVisible: NotVisible[];
}

export interface DatabaseStatsDelta {
  windowMs: number;
  transactionsPerSec: Metric;
  commitsPerSec: Metric;
  rollbacksPerSec: Metric;
  /** rollbacks / (commits + rollbacks) over the window; null when there was no transaction */
  rollbackPercent: Metric;
  blocksReadPerSec: Metric;
  blocksHitPerSec: Metric;
  tuplesReturnedPerSec: Metric;
  tuplesFetchedPerSec: Metric;
  tempFiles: Metric;
  tempBytes: Metric;
  deadlocks: Metric;
  /** cumulative since stats reset */
  rollbackPercentSinceReset: Metric;
  statsReset: string | null;
}

export interface StatementSummary {
  queryId: string;
  /** normalised text ($1 placeholders, never parameters), truncated */
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  /** share of the total execution time of all statements */
  sharePercent: number;
}

export interface StatementsMetrics {
  /** since this instant (pg_stat_statements_info.stats_reset on 14+, else the server start) */
  since: string | null;
  totalCalls: number;
  totalMs: number;
  /** total time / calls over every statement */
  averageMs: Metric;
  /**
   * calls of statements whose mean is above the slow level, per hour since `since`; with under an
   * hour of history the count itself (a count is not extrapolated to a rate)
   */
  slowCallsPerHour: Metric;
  /** calls of statements whose mean is above the slow level, since `since` */
  slowCalls?: number;
  /** hours of history behind the counts */
  historyHours?: number | null;
  slowMeanMs: number;
  topByTotalTime: StatementSummary[];
  topByMeanTime: StatementSummary[];
  topByCalls: StatementSummary[];
}

/** A costly node of a statement's plan. */
export interface PlanProblem {
  /** seq-scan: a sequential scan of a user table; misestimate: rows off by 10x or more (EXPLAIN ANALYZE only) */
  kind: 'seq-scan' | 'misestimate';
  node: string;
  /** schema.table the node reads, when it reads one */
  table: string | null;
  /** the node's filter as EXPLAIN shows it */
  filter: string | null;
  estimatedRows: number;
  /** only when the plan was executed (database.explainAnalyze) */
  actualRows: number | null;
  /** the table's rows (the planner's reltuples) */
  tableRows: number | null;
  /** the node's total planner cost */
  cost: number;
}

/** A top statement (by total time in pg_stat_statements) with its plan. */
export interface StatementPlan {
  queryId: string;
  /** normalised text ($n placeholders), up to 2,000 characters */
  query: string;
  /** since the statistics reset */
  calls: number;
  meanMs: number;
  totalMs: number;
  /** share of the database's statement time since the statistics reset */
  sharePercent: number | null;
  /** over the run's window (counters read at its start and its end); null when no window was read */
  window: { calls: number; totalMs: number; sharePercent: number | null } | null;
  /** how the plan was read; null when it could not be (planError says why) */
  method: 'generic-plan' | 'prepared-generic-plan' | 'plan' | 'explain-analyze' | null;
  totalCost: number | null;
  /** schema.table of the user tables the plan reads sequentially */
  seqScannedTables: string[];
  problems: PlanProblem[];
  planError?: string;
}

/** An index the advice tried or recommends. */
export interface IndexAdvice {
  /** schema.table */
  table: string;
  columns: string[];
  /** the statement to run, e.g. CREATE INDEX CONCURRENTLY ON public.orders (customer_ref) */
  createIndex: string;
  /**
   * verified: HypoPG showed the planner's cost of every listed statement at least halved;
   * unverified: no HypoPG, chosen by pg_stats selectivity; rejected: HypoPG showed less than half saved
   */
  status: 'verified' | 'unverified' | 'rejected';
  /** the statements it serves, with the planner's cost before and with the hypothetical index */
  statements: Array<{ queryId: string; costBefore: number | null; costAfter: number | null }>;
  /** hypopg_relation_size of the hypothetical index, bytes */
  sizeBytes: number | null;
  /** without HypoPG: the rows a lookup is estimated to return with these columns (pg_stats) */
  estimatedRows: number | null;
}

/** A column the advice did not suggest, and why (covered by an index, used inside an expression). */
export interface IndexAdviceSkipped {
  table: string;
  column: string;
  reason: string;
}

/** The plan and index-advice step of the database phase. */
export interface QueryPlansMetrics {
  /** HypoPG is installed in this database: advice is verified by the planner */
  hypopg: boolean;
  explainAnalyze: boolean;
  /** total statement time since the reset and over the window (the shares' denominators) */
  totalMs: number;
  windowTotalMs: number | null;
  statements: StatementPlan[];
  advice: IndexAdvice[];
  skipped: IndexAdviceSkipped[];
  durationMs: number;
}

export interface SessionSummary {
  pid: number;
  user: string | null;
  application: string;
  state: string | null;
  /** seconds since the query (or, idle in transaction, the last statement) started */
  durationSeconds: number;
  /** seconds since the transaction began */
  transactionSeconds: number | null;
  waitEvent: string | null;
  /** truncated query text */
  query: string | null;
}

export interface BlockedSession extends SessionSummary {
  blockedBy: number[];
  blockers: SessionSummary[];
}

export interface ActivityMetrics {
  idleInTransaction: SessionSummary[];
  longRunning: SessionSummary[];
  blocked: BlockedSession[];
}

export interface TableStats {
  /** schema.table */
  name: string;
  liveTuples: number;
  deadTuples: number;
  seqScans: number;
  indexScans: number;
  /** idx_scan / (seq_scan + idx_scan) */
  indexScanPercent: number | null;
  sizeBytes: number;
  lastAutovacuum: string | null;
  lastVacuum: string | null;
  /** days since the last (auto)vacuum; null when never vacuumed */
  vacuumAgeDays: number | null;
  modificationsSinceAnalyze: number;
  heapHitPercent: number | null;
  /** estimated wasted bytes (pages beyond what the live rows need), null when no statistics */
  bloatBytes: number | null;
  /** sequential scans during the run's window (counters read at its start and end); absent when not read */
  seqScansInWindow?: number | null;
  /** indexes on the table: each CREATE INDEX scanned it once, scans that are no workload */
  indexCount?: number;
}

export interface IndexStats {
  /** schema.index */
  name: string;
  table: string;
  scans: number;
  sizeBytes: number;
  valid: boolean;
  unique: boolean;
  primary: boolean;
  definition: string;
  /** the index this one duplicates (its columns are a prefix of the other's), when any */
  duplicateOf: string | null;
}

export interface SequenceStats {
  name: string;
  lastValue: number | null;
  maxValue: number;
  /** the max of the column type the sequence feeds (integer = 2147483647), when owned by a column */
  columnType: string | null;
  usedPercent: number | null;
}

export interface PostgresDatabaseMetrics {
  name: string;
  /** the URL, password redacted */
  target: string;
  reachable: boolean;
  /** why it could not be reached (password redacted) */
  error?: string;
  server?: string;
  connectMs?: number;
  privileges?: PostgresPrivileges;
  stats?: DatabaseStatsDelta;
  cacheHit?: { tablePercent: Metric; indexPercent: Metric };
  statements?: StatementsMetrics | null;
  activity?: ActivityMetrics;
  tables?: TableStats[];
  indexes?: IndexStats[];
  sequences?: SequenceStats[];
  /** the top statements with their plans, and the index advice; null when pg_stat_statements is not readable */
  queryPlans?: QueryPlansMetrics | null;
  /** stats reset of the indexes' counters (unused indexes are counted since then) */
  statsResetAt?: string | null;
  notVisible: NotVisible[];
}

/** What the collector was told to look for, so rules see the levels the numbers were cut at. */
export interface PostgresCollectorLimits {
  /** at most this many sessions are listed per kind (idle in transaction, long-running, blocked), longest first */
  sessionsListed: number;
  /** statements with a mean above this count as slow (spec: any query > 1000 ms) */
  slowMeanMs: number;
}

export interface PostgresMetrics {
  servers: PostgresServerMetrics[];
  databases: PostgresDatabaseMetrics[];
  limits: PostgresCollectorLimits;
}

export interface PgBouncerPool {
  database: string;
  user: string;
  clientsActive: number;
  clientsWaiting: number;
  serversActive: number;
  serversIdle: number;
  serversUsed: number;
  /** seconds the oldest waiting client has waited */
  maxWaitSeconds: number;
  poolMode: string;
  /** the pool's size (database pool_size, else default_pool_size) */
  poolSize: number | null;
  /** server connections in use / pool size */
  utilisationPercent: number | null;
}

export interface PgBouncerStats {
  database: string;
  transactionsPerSec: number;
  queriesPerSec: number;
  avgWaitMs: number;
  avgQueryMs: number;
}

export interface PgBouncerMetrics {
  target: string;
  reachable: boolean;
  error?: string;
  version?: string;
  pools: PgBouncerPool[];
  stats: PgBouncerStats[];
  maxClientConn: number | null;
  defaultPoolSize: number | null;
  totalClients: number;
  /** clients / max_client_conn */
  clientUtilisationPercent: number | null;
}
