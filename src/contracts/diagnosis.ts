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
  /** the part of the window's observed activity the control window predicts (background), % */
  backgroundPercent: number;
  confidence: DiagnosisConfidence;
  notes: string[];
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
  endpoints: EndpointDiagnosis[];
  /** endpoints not driven, with why */
  skipped: Array<{ name: string; reason: string }>;
  limits: { secondsPerEndpoint: number; requestsPerEndpoint: number; concurrency: number; controlSeconds: number };
  /** what could not be seen (e.g. pg_stat_statements not installed in the database) */
  notVisible: string[];
}
