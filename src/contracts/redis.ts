import type { Metric } from './metric.js';

/** Facts the Redis collector gathers (issue 3, Redis). Sections are null when the server was not reached. */

/** What the profiler's connection may do: each command class tried once, NOPERM and friends recorded. */
export interface RedisAccess {
  /** the TCP (and TLS) connection was established */
  reachable: boolean;
  /** AUTH (or no password needed) succeeded */
  authenticated: boolean;
  /** command -> allowed; e.g. { info: true, slowlog: false, memory: true, config: false } */
  commands: Record<string, boolean>;
  /** "SLOWLOG: NOPERM ...", one line per denied command class */
  denied: string[];
  /** time to connect and authenticate */
  connectMs: number | null;
}

export interface RedisServerInfo {
  version: string;
  /** standalone | cluster | sentinel */
  mode: string;
  /** master | slave (replica) */
  role: string;
  /** host:port the analysis connected to (in a cluster or replication set: this node only) */
  node: string;
  /** the database index selected by the URL */
  db: number;
  uptimeSeconds: number;
  connectedReplicas: number;
  /** for a replica: its primary's host:port and link status */
  primary: string | null;
  primaryLinkStatus: string | null;
}

export interface RedisStats {
  /** commands per second over the window, the profiler's own commands taken out */
  opsPerSec: Metric;
  /** the profiler's own commands during the window (taken out of opsPerSec) */
  ownCommandsDuringWindow: number;
  keyspaceHitsDuringWindow: Metric;
  keyspaceMissesDuringWindow: Metric;
  /** hits / (hits + misses) over the window; null when there was no lookup */
  hitRatePercent: Metric;
  /** hits / (hits + misses) since the server started */
  hitRateSinceStartPercent: Metric;
  evictedKeysDuringWindow: Metric;
  evictedKeysSinceStart: Metric;
  expiredKeysDuringWindow: Metric;
  rejectedConnectionsDuringWindow: Metric;
  rejectedConnectionsSinceStart: Metric;
}

export interface RedisMemory {
  usedBytes: Metric;
  rssBytes: Metric;
  peakBytes: Metric;
  /** 0 = no limit */
  maxmemoryBytes: Metric;
  noLimit: boolean;
  /** used / maxmemory; null when there is no limit */
  usedPercentOfMax: Metric;
  policy: string;
  fragmentationRatio: Metric;
  /** rss - used */
  fragmentationBytes: Metric;
  /** MEMORY DOCTOR's own text (first 600 characters); null when MEMORY is not allowed */
  doctor: string | null;
}

export interface RedisClients {
  connected: Metric;
  max: Metric;
  usedPercent: Metric;
  blocked: Metric;
}

export interface RedisPersistence {
  /** ok | err; null when unknown */
  rdbLastBgsaveStatus: string | null;
  rdbChangesSinceLastSave: Metric;
  /** unix seconds of the last successful save */
  rdbLastSaveTime: number | null;
  aofEnabled: boolean;
  aofLastWriteStatus: string | null;
  aofLastBgrewriteStatus: string | null;
  latestForkMs: Metric;
  loading: boolean;
}

export interface RedisCommandStat {
  /** lower-case command name as INFO commandstats names it, e.g. "get", "client|list" */
  command: string;
  calls: number;
  usecPerCall: number;
  /** share of all server time spent in this command */
  timeSharePercent: number;
  /** latency percentiles from INFO latencystats (Redis 7.0+), µs; null before 7.0 */
  p50Usec: number | null;
  p99Usec: number | null;
}

export interface RedisLatency {
  /** round-trip of PING from the profiler, N samples over the window (HDR histogram) */
  pingP50Ms: Metric;
  pingP99Ms: Metric;
  pingMaxMs: Metric;
  pingSamples: number;
  pingFailures: number;
  /** average server-side time per call of the application's commands during the window (commandstats deltas) */
  serverAvgUsecPerCall: Metric;
  /** which commands fed serverAvgUsecPerCall */
  serverCallsCounted: number;
  /** top commands by total server time since start */
  topCommandsByTime: RedisCommandStat[];
}

export interface RedisSlowlogEntry {
  id: number;
  /** unix seconds */
  timestamp: number;
  /** the same as an ISO 8601 date-time */
  time: string;
  durationMs: number;
  /** the command name only (upper case); arguments are never kept */
  command: string;
  argumentCount: number;
  clientName: string | null;
}

export interface RedisSlowlog {
  /** SLOWLOG LEN */
  length: number;
  /** slowlog-log-slower-than in µs; null when CONFIG GET is not allowed */
  thresholdUsec: number | null;
  entries: RedisSlowlogEntry[];
}

export interface RedisKeyspaceDb {
  db: number;
  keys: number;
  expires: number;
  /** share of keys with a TTL (expires / keys) */
  withTtlPercent: number;
  avgTtlMs: number;
}

export type RedisKeyType = 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'other';

export interface RedisBigKey {
  /** key name, truncated to 120 characters */
  name: string;
  type: RedisKeyType;
  /** bytes (string) or element count */
  size: number;
  unit: string;
  /** MEMORY USAGE; null when MEMORY is not allowed */
  memoryBytes: number | null;
}

export interface RedisKeySample {
  /** keys SCAN returned and were measured */
  scannedKeys: number;
  /** DBSIZE of the selected db */
  totalKeys: number;
  coveragePercent: number;
  durationMs: number;
  /** done | max-keys | time | error */
  stoppedBy: string;
  maxKeys: number;
  maxMs: number;
  /** of the scanned keys, those without a TTL */
  withoutTtl: number;
  withoutTtlPercent: number | null;
  /** the largest scanned keys of each type (at most 10 per type), by memory; the rules judge them */
  largestKeys: RedisBigKey[];
}

export interface RedisQueue {
  /** the configured name */
  name: string;
  /** bullmq | celery | list | zset | stream | absent */
  kind: string;
  /** the keys read, with their type and length at the end of the window */
  keys: Array<{ key: string; type: string; length: number }>;
  /** jobs waiting to be picked up, at the start and the end of the window */
  backlogAtStart: number;
  backlogAtEnd: number;
  /** (end - start) per minute */
  backlogGrowthPerMin: Metric;
  /** jobs added per minute (BullMQ id counter, stream entries-added); null where the structure does not count them */
  inPerMin: Metric;
  /** jobs taken per minute = in - growth; null when in is unknown */
  outPerMin: Metric;
  /** BullMQ only: active, delayed and failed jobs at the end */
  active: number | null;
  delayed: number | null;
  failed: number | null;
}

export interface RedisMetrics {
  /** the URL analysed, password redacted */
  target: string;
  reachable: boolean;
  /** why the server could not be analysed (redacted), null when it was */
  error: string | null;
  access: RedisAccess;
  windowMs: number;
  server: RedisServerInfo | null;
  stats: RedisStats | null;
  memory: RedisMemory | null;
  clients: RedisClients | null;
  persistence: RedisPersistence | null;
  latency: RedisLatency | null;
  slowlog: RedisSlowlog | null;
  keyspace: RedisKeyspaceDb[];
  keySample: RedisKeySample | null;
  queues: RedisQueue[];
  /** what could not be read and why */
  notes: string[];
}
