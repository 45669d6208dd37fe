/**
 * Every default threshold, defined once: its levels, what it measures and where the values come
 * from (a row of ../shared/SPEC-THRESHOLDS.md, "spec" = the original specification, a named tool's
 * default, or "ours" with the reason). The config JSON Schema's descriptions, the thresholds section
 * of `perf-analyze init`'s starter file and the threshold tables of docs/configuration.md are made
 * from these definitions. Users override any level under `thresholds:` in the config file.
 * `normal` is where the component score starts to fall; a finding is raised above `info` /
 * `warning` / `critical` (below, for the load test's capacity keys).
 */
import type { ThresholdOverrides, Thresholds } from '../contracts/thresholds.js';

// Re-exported so that the rules keep importing their thresholds from one place.
export type { ThresholdOverrides, Thresholds };

/** The part of the stack a threshold belongs to, by its title: a heading of docs/configuration.md and of the starter file's thresholds. */
export const THRESHOLD_PARTS = {
  host: 'Host',
  postgres: 'PostgreSQL and PgBouncer',
  redis: 'Redis',
  api: 'API',
  load: 'Load test',
  containers: 'Containers',
} as const;
export type ThresholdPart = keyof typeof THRESHOLD_PARTS;

export interface ThresholdDefinition<Levels> {
  part: ThresholdPart;
  /** the default levels */
  levels: Levels;
  /** what the value measures, with its unit: the key's description in the config JSON Schema */
  description: string;
  /** where the levels come from */
  source: string;
}

export type ThresholdDefinitions = { [K in keyof Thresholds]: ThresholdDefinition<Thresholds[K]> };

export const THRESHOLD_DEFINITIONS: ThresholdDefinitions = {
  // ---- host ----
  cpu: {
    part: 'host',
    levels: { normal: 60, warning: 80, critical: 95 },
    description: '% of all cores busy',
    source: 'spec: system resource baselines, CPU row (normal < 60, warning > 80, critical > 95)',
  },
  iowait: {
    part: 'host',
    levels: { warning: 10 },
    description: '% of CPU time waiting on I/O',
    source: 'Glances / Netdata: iowait > 10 % warning',
  },
  steal: {
    part: 'host',
    levels: { warning: 10 },
    description: '% of CPU time stolen by the hypervisor',
    source: 'Glances / Netdata: steal > 10 % warning',
  },
  loadPerCore: {
    part: 'host',
    levels: { normal: 1, warning: 1.5, critical: 2 },
    description: '5-minute load average per core',
    source: 'spec: load average row (normal < cores, warning > 1.5 x cores, critical > 2 x cores)',
  },
  memory: {
    part: 'host',
    levels: { normal: 80, info: 85, warning: 95, critical: 98 },
    description: '% of memory used (total - available)',
    source: "spec resource table: normal < 80, > 85 warning, > 95 critical; spec alert table: > 98 critical. SPEC-THRESHOLDS: where they disagree the stricter (95) is the warning and the looser (98) the critical; the resource table's 85 remains as an info finding",
  },
  swapPagesPerSec: {
    part: 'host',
    levels: { warning: 0 },
    description: 'pages swapped in + out per second during the window',
    source: 'node_exporter / USE method: any swap activity is memory saturation',
  },
  oomKills: {
    part: 'host',
    levels: { critical: 0 },
    description: 'OOM kills during the window',
    source: 'node_exporter alert rules (NodeOOMKillDetected): any is critical',
  },
  pressureSomeAvg10: {
    part: 'host',
    levels: { warning: 10 },
    description: 'PSI "some avg10" %, per resource (cpu, memory, io)',
    source: 'Netdata / SPEC-THRESHOLDS host row: > 10 % warning',
  },
  disk: {
    part: 'host',
    levels: { normal: 85, warning: 90, critical: 95 },
    description: "% of a filesystem's space used",
    source: 'spec: disk usage row (normal < 85, warning > 90, critical > 95)',
  },
  inodes: {
    part: 'host',
    levels: { warning: 90, critical: 95 },
    description: "% of a filesystem's inodes used",
    source: 'node_exporter alert rules: > 90 warning, > 95 critical',
  },
  diskAwaitMs: {
    part: 'host',
    levels: { warning: 20, critical: 50 },
    description: 'ms per completed I/O',
    source: 'Netdata / SPEC-THRESHOLDS host row: await > 20 ms warning, > 50 ms critical',
  },
  diskUtilisation: {
    part: 'host',
    levels: { warning: 80 },
    description: '% of the window a device had I/O in flight',
    source: 'USE method / Netdata: > 80 % warning',
  },
  networkErrorPercent: {
    part: 'host',
    levels: { warning: 1 },
    description: 'network errors or drops as % of packets',
    source: 'node_exporter alert rules: > 1 % warning',
  },
  tcpRetransmitPercent: {
    part: 'host',
    levels: { warning: 1 },
    description: 'retransmitted TCP segments as % of sent',
    source: 'node_exporter alert rules: > 1 % warning',
  },
  fileHandles: {
    part: 'host',
    levels: { warning: 70, critical: 90 },
    description: "% of the kernel's file handle limit (fs.file-max) in use",
    source: 'node_exporter mixin (NodeFileDescriptorLimit): > 70 warning, > 90 critical',
  },
  cpuCoreBusy: {
    part: 'host',
    levels: { info: 95 },
    description: '% busy of a single core, checked only while all cores together are under cpu.normal (a single-threaded bottleneck)',
    source: "Brendan Gregg, USE method (Linux performance checklist): check CPU utilisation per CPU (mpstat -P ALL), since one hot CPU can point at one hot thread; 95 = the spec's CPU critical level, per core",
  },

  // ---- PostgreSQL and PgBouncer ----
  connections: {
    part: 'postgres',
    levels: { normal: 70, warning: 80, critical: 95 },
    description: '% of PostgreSQL max_connections minus reserved slots in use',
    source: 'spec: connection pool utilisation (< 70 optimal, > 80 warning, > 95 critical); PgHero / postgres_exporter mixin the same',
  },
  averageQueryMs: {
    part: 'postgres',
    levels: { normal: 100, warning: 500, critical: 1000 },
    description: 'mean ms per statement (pg_stat_statements)',
    source: 'spec: average query time (< 100 optimal, > 500 warning, > 1000 critical)',
  },
  slowQueriesPerHour: {
    part: 'postgres',
    levels: { normal: 10, warning: 50, critical: 100 },
    description: 'calls per hour of statements with a mean above 1000 ms; with under an hour of history the count itself, never extrapolated (one slow bulk load a minute ago is 1, not 60 per hour)',
    source: 'spec: slow queries per hour (< 10, > 50 warning, > 100 critical)',
  },
  statementMeanMs: {
    part: 'postgres',
    levels: { warning: 20, minCalls: 100 },
    description: "a statement's mean ms, counted when it ran at least minCalls times",
    source: 'PgHero: slow query = mean >= 20 ms and calls >= 100; spec alert levels: any query > 1000 ms is a warning',
  },
  cacheMissPercent: {
    part: 'postgres',
    levels: { warning: 1, critical: 5 },
    description: '% of table or index block reads missing shared buffers (hit ratio below 99 % / 95 %)',
    source: 'PgHero: hit ratio < 99 % warning; postgres_exporter mixin < 98 %; SPEC-THRESHOLDS: warning < 99 %, critical < 95 % (miss > 1 %, > 5 %)',
  },
  seqScanPercent: {
    part: 'postgres',
    levels: { warning: 5, minRows: 10000, minWorkloadScans: 10 },
    description: '% of scans that are sequential, on a table with at least minRows live rows, counted only when the sequential scans are a workload: at least minWorkloadScans in the window, by the planned statements, or since the reset beyond the one scan each CREATE INDEX made',
    source: "PgHero: missing index = < 95 % of scans use an index on >= 10,000 rows; the workload floor is ours (ten, so that index builds and a seed's one-off scan are not read as a workload)",
  },
  statementTimeShare: {
    part: 'postgres',
    levels: { warning: 20, minCalls: 100 },
    description: "one statement's % of the database's statement time (over the window when it ran at least minCalls times there, else since the reset), raised only when its plan has a costly node (rule postgres-query-plan)",
    source: "ours: a fifth of all statement time in one statement is the top of a Pareto split worth a plan review; minCalls from PgHero's slow-query rule (calls >= 100)",
  },
  unusedIndexBytes: {
    part: 'postgres',
    levels: { warning: 10_000_000 },
    description: 'size in bytes from which an index never scanned since the stats reset is reported',
    source: 'PgHero: unused index >= 10 MB with 0 scans',
  },
  idleInTransactionSeconds: {
    part: 'postgres',
    levels: { warning: 60 },
    description: 'seconds a session has been idle in transaction',
    source: 'SPEC-THRESHOLDS PostgreSQL: any older than 60 s is a warning',
  },
  longQuerySeconds: {
    part: 'postgres',
    levels: { warning: 60 },
    description: 'seconds a query has been running',
    source: 'PgHero: long-running query >= 60 s',
  },
  transactionSeconds: {
    part: 'postgres',
    levels: { warning: 120 },
    description: 'seconds a transaction has been open',
    source: 'postgres_exporter mixin: transaction open > 120 s',
  },
  blockedQueries: {
    part: 'postgres',
    levels: { warning: 0 },
    description: 'sessions waiting on a lock held by another session (pg_blocking_pids)',
    source: 'SPEC-THRESHOLDS PostgreSQL: any is a warning',
  },
  deadTuples: {
    part: 'postgres',
    levels: { warning: 10000, deadPercent: 10 },
    description: 'dead tuples of a table, when also above deadPercent of its live tuples',
    source: 'SPEC-THRESHOLDS PostgreSQL (check_postgres): > 10,000 and > 10 % warning',
  },
  vacuumAgeDays: {
    part: 'postgres',
    levels: { warning: 10 },
    description: 'days since a changed table was last (auto)vacuumed',
    source: 'SPEC-THRESHOLDS PostgreSQL: autovacuum not run for 10 days on a changed table',
  },
  tableBloatBytes: {
    part: 'postgres',
    levels: { warning: 1024 ** 3, critical: 5 * 1024 ** 3 },
    description: 'estimated wasted bytes of a table (bloat)',
    source: 'no SPEC-THRESHOLDS row: check_postgres `bloat` action defaults, 1 GB warning, 5 GB critical (wasted bytes)',
  },
  sequencePercent: {
    part: 'postgres',
    levels: { warning: 90, critical: 95 },
    description: "% of its column type's maximum a sequence has reached",
    source: 'PgHero: > 90 % warning; SPEC-THRESHOLDS: > 95 % critical',
  },
  xidAge: {
    part: 'postgres',
    levels: { warning: 1_000_000_000, critical: 1_500_000_000 },
    description: 'transaction ID age of a database',
    source: 'check_postgres / SPEC-THRESHOLDS: > 1.0 B warning, > 1.5 B critical (the server stops at ~2.1 B)',
  },
  rollbackPercent: {
    part: 'postgres',
    levels: { warning: 10 },
    description: 'rollbacks as % of transactions during the window',
    source: 'SPEC-THRESHOLDS PostgreSQL (postgres_exporter mixin): > 10 %',
  },
  requestedCheckpointPercent: {
    part: 'postgres',
    levels: { warning: 50 },
    description: 'requested checkpoints as % of all checkpoints',
    source: 'SPEC-THRESHOLDS PostgreSQL (postgres_exporter mixin): > 50 %',
  },
  poolClientsWaiting: {
    part: 'postgres',
    levels: { warning: 5, critical: 20 },
    description: 'clients waiting for a server connection in a PgBouncer pool',
    source: 'spec: pool overflow (0 optimal, > 5 warning, > 20 critical); SPEC-THRESHOLDS PgBouncer row: cl_waiting > 0 sustained',
  },
  poolMaxWaitSeconds: {
    part: 'postgres',
    levels: { critical: 15 },
    description: 'seconds the oldest client of a PgBouncer pool has waited',
    source: 'SPEC-THRESHOLDS PgBouncer: maxwait > 15 s critical',
  },
  poolUtilisation: {
    part: 'postgres',
    levels: { normal: 70, warning: 80, critical: 95 },
    description: "% of a PgBouncer pool's size in use (and clients as % of max_client_conn)",
    source: 'spec: connection pool utilisation (< 70 optimal, > 80 warning, > 95 critical)',
  },

  // ---- Redis ----
  redisMissRatePercent: {
    part: 'redis',
    levels: { normal: 5, info: 30 },
    description: 'Redis keyspace misses as % of lookups during the window (100 - hit rate)',
    source: 'spec cache row "hit rate": > 95 % excellent (normal 5), < 70 % hit rate is an info finding (info 30)',
  },
  redisPingP99Ms: {
    part: 'redis',
    levels: { normal: 5, info: 10, warning: 50 },
    description: 'Redis PING round trip p99, ms',
    source: 'spec cache row "response time" (< 5 ms excellent, > 50 ms needs improvement) and KPI "cache p99 < 10 ms"',
  },
  redisPingFailurePercent: {
    part: 'redis',
    levels: { warning: 5 },
    description: 'failed Redis PINGs as % of those sent',
    source: 'spec cache row "availability" (< 95 % needs improvement; "cache unavailable" is a warning)',
  },
  redisMemoryPercent: {
    part: 'redis',
    levels: { normal: 80, warning: 90, critical: 95 },
    description: 'Redis used_memory as % of maxmemory',
    source: 'spec cache row (< 80 excellent, > 95 needs improvement); SPEC-THRESHOLDS Redis row (redis_exporter): > 90 % warning',
  },
  redisFragmentationRatio: {
    part: 'redis',
    levels: { warning: 1.4 },
    description: 'Redis mem_fragmentation_ratio, raised with more than redisFragmentationBytes wasted (below 1, swapping, is critical; not judged under 5 MiB used)',
    source: 'MEMORY DOCTOR / SPEC-THRESHOLDS Redis row: > 1.4 with > 10 MB warning',
  },
  redisFragmentationBytes: {
    part: 'redis',
    levels: { warning: 10_485_760 },
    description: 'Redis RSS bytes above used_memory (with redisFragmentationRatio)',
    source: 'MEMORY DOCTOR: 10 MB (10 << 20)',
  },
  redisEvictedKeys: {
    part: 'redis',
    levels: { warning: 0 },
    description: 'Redis keys evicted during the window',
    source: 'redis_exporter alert rules / SPEC-THRESHOLDS Redis row: evicted_keys increasing is a warning',
  },
  redisEvictedSinceStart: {
    part: 'redis',
    levels: { warning: 0, recentUptimeSeconds: 3600 },
    description: 'Redis keys evicted since the server started when none were evicted in the window: a warning when it started at most recentUptimeSeconds ago (the evictions are that recent), else info',
    source: 'redis_exporter alert rules / SPEC-THRESHOLDS Redis row: evicted_keys increasing is a warning; the hour is ours (a counter since a start within the hour increased within the hour)',
  },
  redisRejectedConnections: {
    part: 'redis',
    levels: { critical: 0 },
    description: 'Redis connections rejected during the window (rejected before it: info)',
    source: 'redis_exporter alert rules / SPEC-THRESHOLDS Redis row: increasing is critical',
  },
  redisClientsPercent: {
    part: 'redis',
    levels: { warning: 90 },
    description: 'Redis connected_clients as % of maxclients',
    source: 'redis_exporter alert rules / SPEC-THRESHOLDS Redis row: > 90 % warning',
  },
  redisSlowlogMs: {
    part: 'redis',
    levels: { warning: 10 },
    description: 'Redis slowlog entry duration, ms (one finding per command)',
    source: "SPEC-THRESHOLDS Redis row: slowlog entries (> 10 ms, Redis's default slowlog-log-slower-than) are a warning",
  },
  redisServerLatencyUsec: {
    part: 'redis',
    levels: { warning: 1000, critical: 4000 },
    description: "Redis average server-side µs per call of the application's commands (commandstats deltas in the window)",
    source: 'Redis Enterprise / SPEC-THRESHOLDS Redis row: > 1 ms warning, > 4 ms critical',
  },
  redisBigStringBytes: {
    part: 'redis',
    levels: { warning: 1_000_000 },
    description: 'Redis string value size, bytes',
    source: 'RedisInsight / SPEC-THRESHOLDS Redis row: string > 1 MB',
  },
  redisBigHashFields: {
    part: 'redis',
    levels: { warning: 5000 },
    description: 'Redis hash fields',
    source: 'RedisInsight / SPEC-THRESHOLDS Redis row: hash > 5,000 fields',
  },
  redisBigSetMembers: {
    part: 'redis',
    levels: { warning: 100_000 },
    description: 'Redis set members',
    source: 'RedisInsight / SPEC-THRESHOLDS Redis row: set > 100,000 members',
  },
  redisBigZsetMembers: {
    part: 'redis',
    levels: { warning: 100_000 },
    description: 'Redis sorted set members',
    source: 'ours: the RedisInsight set row (100,000 members) applied to sorted sets, which the source has no row for',
  },
  redisBigListElements: {
    part: 'redis',
    levels: { warning: 1000 },
    description: 'Redis list elements',
    source: 'RedisInsight / SPEC-THRESHOLDS Redis row: list > 1,000 elements',
  },
  redisQueueBacklog: {
    part: 'redis',
    levels: { warning: 1000 },
    description: 'jobs waiting in one worker queue',
    source: 'spec KPI "> 100 background jobs / minute": a backlog above 1,000 jobs is more than 10 minutes of work at the KPI throughput (derived, ours)',
  },
  redisQueueGrowthPerMin: {
    part: 'redis',
    levels: { warning: 0 },
    description: 'worker queue backlog growth during the window, jobs per minute',
    source: 'spec "Worker Queue Processing Throughput": any sustained growth means consumers fall behind',
  },

  // ---- API ----
  apiHealthMs: {
    part: 'api',
    levels: { normal: 50, warning: 200, critical: 500 },
    description: 'p95 of /health endpoints, ms',
    source: 'spec: API response times, /health row (target < 50, warning > 200, critical > 500)',
  },
  apiLoginMs: {
    part: 'api',
    levels: { normal: 300, warning: 1000, critical: 2000 },
    description: 'p95 of the login endpoint, ms',
    source: 'spec: API response times, login row (target < 300, warning > 1000, critical > 2000)',
  },
  apiProfileMs: {
    part: 'api',
    levels: { normal: 200, warning: 800, critical: 1500 },
    description: 'p95 of profile endpoints, ms',
    source: 'spec: API response times, profile row (target < 200, warning > 800, critical > 1500)',
  },
  apiDashboardMs: {
    part: 'api',
    levels: { normal: 500, warning: 2000, critical: 5000 },
    description: 'p95 of dashboard endpoints, ms',
    source: 'spec: API response times, dashboard row (target < 500, warning > 2000, critical > 5000)',
  },
  apiOtherMs: {
    part: 'api',
    levels: { normal: 500, warning: 2000, critical: 5000 },
    description: 'p95 of any other endpoint, ms',
    source: 'spec: API response times, "any other endpoint" row (KPI p95 < 500, warning > 2000, critical > 5000)',
  },
  apiErrorRatePercent: {
    part: 'api',
    levels: { warning: 0.1, critical: 1 },
    description: '% of requests answered 5xx or not at all',
    source: 'spec KPI: success rate > 99.9 % (warning above 0.1 %); critical above 1 %: the load test\'s capacity criterion ("errors stay under 1 %", load.knee.maxErrorPercent)',
  },
  authEndToEndMs: {
    part: 'api',
    levels: { warning: 300 },
    description: 'login + first authenticated request, p95, ms',
    source: 'spec KPI: authentication end to end < 300 ms',
  },
  loginHashSharePercent: {
    part: 'api',
    levels: { info: 50 },
    description: 'password hashing as % of the login p50 (a warning when the login is also above its target)',
    source: 'ours: "dominates" = more than half of the login\'s time',
  },
  tokenLifetimeSeconds: {
    part: 'api',
    levels: { warning: 86_400 },
    description: 'access-token lifetime, s (also: no exp is a warning, under 60 s info, alg none critical)',
    source: 'OWASP JWT cheat sheet: access tokens short-lived; longer than a day is a warning',
  },
  tokenSizeBytes: {
    part: 'api',
    levels: { info: 4096 },
    description: 'access-token size, bytes',
    source: 'RFC 6265 section 6.1: user agents need only keep 4096-byte cookies; every request carries it',
  },

  // ---- load test ----
  loadConcurrentUsers: {
    part: 'load',
    levels: { warning: 100 },
    description: 'concurrent users sustained by the load test at the knee (a finding BELOW this)',
    source: 'spec KPI: > 100 concurrent users',
  },
  loadThroughputRps: {
    part: 'load',
    levels: { warning: 500 },
    description: 'requests/s sustained by the load test at the knee (a finding BELOW this)',
    source: 'spec KPI: > 500 RPS sustained',
  },
  loadErrorPercent: {
    part: 'load',
    levels: { warning: 0.1 },
    description: '% of load-test requests that failed',
    source: 'spec KPI: success rate > 99.9 %, so > 0.1 % failed is a warning',
  },
  loadP95Ms: {
    part: 'load',
    levels: { warning: 500 },
    description: 'p95 latency under load, ms',
    source: 'spec KPI: API p95 < 500 ms',
  },
  loadLatencyGrowth: {
    part: 'load',
    levels: { info: 10 },
    description: 'p95 at the top of the concurrency ladder over p95 at its first level',
    source: 'ours: an order of magnitude (10x) is the "latency grows with load" signal',
  },
  loadCoordinatedOmission: {
    part: 'load',
    levels: { warning: 2 },
    description: 'open model: corrected p99 over as-sent p99',
    source: 'wrk2 / Gil Tene ("How NOT to measure latency"): a corrected percentile far above the as-sent one means requests waited for the target (coordinated omission); 2x = "far"',
  },

  // ---- containers ----
  containerCpu: {
    part: 'containers',
    levels: { warning: 80, critical: 95 },
    description: "% of a container's CPU limit (--cpus, quota, cpuset) in use, 100 % = the limit",
    source: "spec CPU row (warning > 80, critical > 95) applied to the container's limit; CPU % computed as SPEC-THRESHOLDS Containers row (docker stats)",
  },
  containerMemory: {
    part: 'containers',
    levels: { warning: 80, critical: 95 },
    description: "% of a container's memory limit in its working set (usage - inactive file)",
    source: 'SPEC-THRESHOLDS Containers row (docker stats, cAdvisor): > 80 % warning, > 95 % critical',
  },
  containerThrottled: {
    part: 'containers',
    levels: { warning: 25 },
    description: '% of CFS periods in which a container was throttled',
    source: 'SPEC-THRESHOLDS Containers row (cAdvisor): > 25 % warning',
  },
  containerRestarts: {
    part: 'containers',
    levels: { critical: 0 },
    description: 'restarts of a container during the window',
    source: 'SPEC-THRESHOLDS Containers row: restart count rising is critical',
  },
};

/** Every key's default levels. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.fromEntries(
  Object.entries(THRESHOLD_DEFINITIONS).map(([key, definition]) => [key, definition.levels]),
) as Thresholds;

/** Defaults with the user's overrides laid over them. */
export function mergeThresholds(overrides: ThresholdOverrides = {}): Thresholds {
  const merged = structuredClone(DEFAULT_THRESHOLDS);
  for (const [key, value] of Object.entries(overrides)) {
    Object.assign(merged[key as keyof Thresholds], value);
  }
  return merged;
}
