import type { SettleRecord } from './artifact.js';
import type { QueryPlansMetrics } from './postgres.js';
/**
 * Cross-layer diagnosis (issue 8): what each endpoint's own traffic caused in PostgreSQL and
 * Redis, measured as before/after deltas of one window per endpoint, with the background
 * activity of a control window (no traffic of ours) subtracted.
 */

/** One statement (pg_stat_statements queryid) in an endpoint's window, background subtracted. */
export interface AttributedQuery {
  queryId: string;
  /** normalised text ($n placeholders, never parameter values), cut to 600 characters */
  query: string;
  calls: number;
  totalMs: number;
  callsPerRequest: number;
  msPerRequest: number;
  /** share of the database time this endpoint's traffic caused */
  sharePercent: number;
  rowsPerCall: number;
  sharedBlocksRead: number;
  sharedBlocksHit: number;
}

/** A table read sequentially during the window (pg_stat_user_tables deltas, background subtracted). */
export interface ScannedTable {
  /** schema.table */
  table: string;
  seqScans: number;
  rowsRead: number;
  rowsReadPerRequest: number;
  indexScans: number;
  liveRows: number;
  /** leading columns of the table's valid indexes (to tell a missing index from another cause) */
  indexedColumns: string[];
}

export interface RedisCommandUse {
  command: string;
  calls: number;
  perRequest: number;
}

/** The application's PostgreSQL connections seen in pg_stat_activity during a window (sampled). */
export interface ConnectionUse {
  /** application_name of the client connections (other than ours) that were busy most */
  applicationName: string;
  /** most connections of that application at once */
  maxConnections: number;
  /** most of them busy (not idle) at once */
  maxBusy: number;
  /** % of the samples in which all its connections were busy */
  allBusyPercent: number;
  samples: number;
}

/** The same endpoint driven again at a higher concurrency (diagnosis.scalingConcurrency). */
export interface ConcurrencyStep {
  concurrency: number;
  requests: number;
  errors: number;
  latencyP95Ms: number | null;
  latencyMeanMs: number | null;
  /** database time per request in this window (pg_stat_statements), null when not observed */
  dbMsPerRequest: number | null;
  queriesPerRequest: number | null;
  connections: ConnectionUse | null;
  /** host, containers and generator during this window (absent when not read) */
  resources?: WindowResources;
}

/** One container's use during a window (two Docker stats readings around it). */
export interface ContainerUse {
  name: string;
  /** its compose service (label com.docker.compose.service), when it has one */
  service?: string;
  /** 100 = one core, as `docker stats` */
  cpuPercent: number | null;
  /** --cpus, a CFS quota or a cpuset, in cores; null when unlimited */
  cpuLimitCores: number | null;
  /** cpuPercent as % of the limit; null without a limit */
  cpuLimitPercent: number | null;
  /** throttled CFS periods / periods in the window; null without a quota */
  throttledPercent: number | null;
  /** working set (usage - inactive file) at the end of the window */
  memoryBytes: number | null;
  memoryLimitPercent: number | null;
}

/** What the machine did during a window besides the database and Redis: the host, the containers and our own generator. */
export interface WindowResources {
  /** busy % of all cores (/proc/stat); null where not readable (not Linux) */
  hostCpuPercent: number | null;
  cores: number | null;
  /** the generator's (this process's) CPU, % of one core, and its event-loop delay */
  generator: { cpuPercent: number; eventLoopDelayP99Ms: number };
  /** containers read, busiest (CPU) first; empty when Docker was not observed */
  containers: ContainerUse[];
}

/** A resource that reached its limit in one of an endpoint's windows. */
export interface SaturatedResource {
  resource: 'database-connections' | 'container-cpu-limit' | 'host-cpu' | 'generator';
  /** what saturated: "container app", "the database connections of application \"shop\"", "host (2 cores)", "perf-analyze (the load generator)" */
  subject: string;
  /** the container's name, for a container CPU limit (its reading is in that window's resources) */
  container?: string;
  /** the concurrency of the first window where it was saturated */
  atConcurrency: number;
  /** the reading that says so, with its limit */
  value: number;
  limit: number;
  unit: string;
}

/** How latency grew from the first window to the scaling window, against the resources that saturated. */
export interface SaturationAnalysis {
  fromConcurrency: number;
  toConcurrency: number;
  /** mean latency at toConcurrency / at fromConcurrency; null when either is unknown */
  latencyGrowth: number | null;
  /** every saturated resource our traffic moved, the first to saturate first (lower concurrency, then the order of the type): the candidate causes */
  saturated: SaturatedResource[];
  /** saturated in these windows but not caused by them: already saturated in the control window (background), not moved by our traffic, or not serving the API (diagnosis.containers) */
  notCauses?: Array<SaturatedResource & { why: 'background' | 'not-moved' | 'not-serving'; detail: string }>;
}

export type DiagnosisConfidence = 'high' | 'medium' | 'low';

export interface EndpointDiagnosis {
  /** "GET /api/v1/user/profile" */
  name: string;
  method: string;
  path: string;
  /** the endpoint's own latency thresholds from the config, when it has some */
  thresholds?: { warningMs?: number; criticalMs?: number };
  /** requests completed in the window (closed model, diagnosis.concurrency users) */
  requests: number;
  errors: number;
  windowMs: number;
  concurrency: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyMeanMs: number | null;
  /** null when PostgreSQL was not observed (not configured or pg_stat_statements not readable) */
  database: {
    totalMs: number;
    msPerRequest: number;
    queriesPerRequest: number;
    /** database time per request as % of the mean latency (can exceed 100 with concurrency inside a request) */
    latencySharePercent: number | null;
    topQueries: AttributedQuery[];
    seqScannedTables: ScannedTable[];
  } | null;
  redis: {
    commandsPerRequest: number;
    commands: RedisCommandUse[];
    hits: number;
    misses: number;
    hitRatioPercent: number | null;
    missesPerRequest: number;
  } | null;
  /** the application's connections during the window (absent when PostgreSQL was not observed) */
  connections?: ConnectionUse | null;
  /** the endpoint driven at diagnosis.scalingConcurrency (absent when not driven: no database use, or off) */
  scaling?: ConcurrencyStep;
  /** host, containers and generator during the first window */
  resources?: WindowResources;
  /** host and containers in the idle period right after the window (no traffic of ours, while its counters settled): what stays busy then is not ours */
  resourcesAfter?: WindowResources;
  /** latency growth from the first to the scaling window against what saturated first (absent without a scaling window) */
  saturation?: SaturationAnalysis;
  /** the part of the window's observed activity the control window predicts (background), % */
  backgroundPercent: number;
  confidence: DiagnosisConfidence;
  notes: string[];
  /** how the read after the window waited for PostgreSQL to publish its counters (the read before is the previous window's, or the control window's) */
  counters?: SettleRecord;
}

export interface BackgroundRates {
  windowMs: number;
  dbCallsPerSecond: number;
  dbMsPerSecond: number;
  seqRowsPerSecond: number;
  redisCommandsPerSecond: number;
}

export interface DiagnosisMetrics {
  /** what was observed: "postgres", "redis" */
  observed: string[];
  /** the control window: activity with no traffic of ours */
  background: BackgroundRates;
  /** the control window's resources (host, containers, the application's connections) and what was already saturated in it, before any traffic of ours */
  control?: { resources?: WindowResources; connections?: ConnectionUse | null; saturated: SaturatedResource[] };
  /** diagnosis.containers: the containers (names or compose services, globs) that serve the API; only they can be an endpoint's cause */
  servingContainers?: string[];
  /** Redis round trip from this host (median of a few PINGs), ms: the cache part of each endpoint's time is its commands times this */
  redisRoundTripMs?: number | null;
  /** how the control window's reads waited for PostgreSQL to publish its counters */
  controlCounters?: { before: SettleRecord; after: SettleRecord };
  endpoints: EndpointDiagnosis[];
  /** plans and index advice (the database phase's method) for the statements that scanned a table in an endpoint's window, read after every window; absent when none did */
  indexAdvice?: QueryPlansMetrics;
  /** endpoints not driven, with why */
  skipped: Array<{ name: string; reason: string }>;
  limits: { secondsPerEndpoint: number; requestsPerEndpoint: number; concurrency: number; controlSeconds: number };
  /** what could not be seen (e.g. pg_stat_statements not installed in the database) */
  notVisible: string[];
}
