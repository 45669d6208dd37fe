/**
 * Default thresholds of every rule, each with its source (a row of
 * ../shared/SPEC-THRESHOLDS.md; "spec" = the original specification).
 * Users override any value under `thresholds:` in the config file.
 * `normal` is where the component score starts to fall; a finding is raised
 * above `info` / `warning` / `critical` (or below, for `direction: 'below'` rules).
 */
import type { ThresholdOverrides, Thresholds } from '../contracts/thresholds.js';

// Re-exported so that the rules keep importing their thresholds from one place.
export type { ThresholdOverrides, Thresholds };

export const DEFAULT_THRESHOLDS: Thresholds = {
  /** % of all cores busy. spec: system resource baselines, CPU row (normal < 60, warning > 80, critical > 95) */
  cpu: { normal: 60, warning: 80, critical: 95 },
  /** % of CPU time waiting on I/O. Glances / Netdata: iowait > 10 % warning */
  iowait: { warning: 10 },
  /** % of CPU time stolen by the hypervisor. Glances / Netdata: steal > 10 % warning */
  steal: { warning: 10 },
  /** 5-minute load average per core. spec: load average row (normal < cores, warning > 1.5 x cores, critical > 2 x cores) */
  loadPerCore: { normal: 1, warning: 1.5, critical: 2 },
  /**
   * % of memory used (total - available). spec resource table: normal < 80, > 85 warning, > 95 critical;
   * spec alert table: > 98 critical. SPEC-THRESHOLDS: where they disagree the stricter (95) is the
   * warning and the looser (98) the critical; the resource table's 85 remains as an info finding.
   */
  memory: { normal: 80, info: 85, warning: 95, critical: 98 },
  /** pages swapped in + out per second during the window. node_exporter / USE method: any swap activity is memory saturation */
  swapPagesPerSec: { warning: 0 },
  /** OOM kills during the window. node_exporter alert rules (NodeOOMKillDetected): any is critical */
  oomKills: { critical: 0 },
  /** PSI "some avg10" %, per resource. Netdata / SPEC-THRESHOLDS host row: > 10 % warning */
  pressureSomeAvg10: { warning: 10 },
  /** % of a filesystem's space used. spec: disk usage row (normal < 85, warning > 90, critical > 95) */
  disk: { normal: 85, warning: 90, critical: 95 },
  /** % of a filesystem's inodes used. node_exporter alert rules: > 90 warning, > 95 critical */
  inodes: { warning: 90, critical: 95 },
  /** ms per completed I/O. Netdata / SPEC-THRESHOLDS host row: await > 20 ms warning, > 50 ms critical */
  diskAwaitMs: { warning: 20, critical: 50 },
  /** % of the window a device had I/O in flight. USE method / Netdata: > 80 % warning */
  diskUtilisation: { warning: 80 },
  /** network errors or drops as % of packets. node_exporter alert rules: > 1 % warning */
  networkErrorPercent: { warning: 1 },
  /** retransmitted TCP segments as % of sent. node_exporter alert rules: > 1 % warning */
  tcpRetransmitPercent: { warning: 1 },
  /** % of the kernel's file handle limit in use. node_exporter mixin (NodeFileDescriptorLimit): > 70 warning, > 90 critical */
  fileHandles: { warning: 70, critical: 90 },
  /**
   * % busy of a single core, checked only while all cores together are under cpu.normal (a single-threaded
   * bottleneck). Brendan Gregg, USE method (Linux performance checklist): check CPU utilisation per CPU
   * (mpstat -P ALL), since one hot CPU can point at one hot thread; 95 = the spec's CPU critical level, per core.
   */
  cpuCoreBusy: { info: 95 },

  // ---- PostgreSQL and PgBouncer (SPEC-THRESHOLDS.md "Database" and "PostgreSQL" rows) ----
  /** % of (max_connections - reserved) in use. spec: connection pool utilisation (< 70 optimal, > 80 warning, > 95 critical); PgHero / mixin the same */
  connections: { normal: 70, warning: 80, critical: 95 },
  /** mean ms per statement over pg_stat_statements. spec: average query time (< 100 optimal, > 500 warning, > 1000 critical) */
  averageQueryMs: { normal: 100, warning: 500, critical: 1000 },
  /** calls per hour of statements with a mean > 1000 ms. spec: slow queries per hour (< 10, > 50 warning, > 100 critical) */
  slowQueriesPerHour: { normal: 10, warning: 50, critical: 100 },
  /** a statement's mean ms, counted when it ran at least minCalls times. PgHero: slow query = mean >= 20 ms and calls >= 100; spec alert levels: any query > 1000 ms is a warning */
  statementMeanMs: { warning: 20, minCalls: 100 },
  /** % of table / index block reads missing the cache. PgHero: hit ratio < 99 % warning; mixin < 98 %; SPEC-THRESHOLDS: warning < 99 %, critical < 95 % (miss > 1 %, > 5 %) */
  cacheMissPercent: { warning: 1, critical: 5 },
  /** % of scans that are sequential, on a table with >= minRows live rows. PgHero: missing index = < 95 % of scans use an index on >= 10,000 rows */
  /**
   * % of scans that are sequential, on a table with >= minRows live rows. PgHero: missing index = < 95 % of scans use an index on >= 10,000 rows.
   * Counted only when sequential scans are a workload: >= minWorkloadScans in the window, by the planned statements, or since the
   * reset beyond the one scan each CREATE INDEX made (ours: ten, so that index builds and a seed's one-off scan are not read as a workload)
   */
  seqScanPercent: { warning: 5, minRows: 10000, minWorkloadScans: 10 },
  /**
   * one statement's % of the database's statement time (over the window, else since the reset), counted from minCalls calls, raised
   * when its plan has a costly node. Ours: a fifth of all statement time in one statement is the top of a Pareto split worth a plan
   * review; minCalls from PgHero's slow-query rule (calls >= 100)
   */
  statementTimeShare: { warning: 20, minCalls: 100 },
  /** bytes of an index never scanned since the stats reset. PgHero: unused index >= 10 MB with 0 scans */
  unusedIndexBytes: { warning: 10_000_000 },
  /** seconds a session has sat idle in transaction. SPEC-THRESHOLDS PostgreSQL: any older than 60 s is a warning */
  idleInTransactionSeconds: { warning: 60 },
  /** seconds a query has run. PgHero: long-running query >= 60 s */
  longQuerySeconds: { warning: 60 },
  /** seconds a transaction has been open. postgres_exporter mixin: transaction open > 120 s */
  transactionSeconds: { warning: 120 },
  /** sessions waiting on a lock held by another (pg_blocking_pids). SPEC-THRESHOLDS PostgreSQL: any is a warning */
  blockedQueries: { warning: 0 },
  /** dead tuples of a table, when also > deadPercent of live ones. SPEC-THRESHOLDS PostgreSQL (check_postgres): > 10,000 and > 10 % warning */
  deadTuples: { warning: 10000, deadPercent: 10 },
  /** days since the last (auto)vacuum of a table changed since. SPEC-THRESHOLDS PostgreSQL: autovacuum not run for 10 days on a changed table */
  vacuumAgeDays: { warning: 10 },
  /** estimated wasted bytes of a table. No SPEC-THRESHOLDS row: check_postgres `bloat` action defaults, 1 GB warning, 5 GB critical (wasted bytes) */
  tableBloatBytes: { warning: 1024 ** 3, critical: 5 * 1024 ** 3 },
  /** % of the column type's max a sequence has reached. PgHero: > 90 % warning; SPEC-THRESHOLDS: > 95 % critical */
  sequencePercent: { warning: 90, critical: 95 },
  /** transaction ID age. check_postgres / SPEC-THRESHOLDS: > 1.0 B warning, > 1.5 B critical (the server stops at ~2.1 B) */
  xidAge: { warning: 1_000_000_000, critical: 1_500_000_000 },
  /** rollbacks as % of transactions over the window. SPEC-THRESHOLDS PostgreSQL (postgres_exporter mixin): > 10 % */
  rollbackPercent: { warning: 10 },
  /** requested checkpoints as % of all. SPEC-THRESHOLDS PostgreSQL (mixin): > 50 % */
  requestedCheckpointPercent: { warning: 50 },
  /** clients waiting for a server connection in a PgBouncer pool. spec: pool overflow (0 optimal, > 5 warning, > 20 critical); PgBouncer row: cl_waiting > 0 sustained */
  poolClientsWaiting: { warning: 5, critical: 20 },
  /** seconds the oldest client of a pool has waited. SPEC-THRESHOLDS PgBouncer: maxwait > 15 s critical */
  poolMaxWaitSeconds: { critical: 15 },
  /** % of a PgBouncer pool's size in use. spec: connection pool utilisation (> 80 warning, > 95 critical) */
  poolUtilisation: { normal: 70, warning: 80, critical: 95 },
  /**
   * Redis keyspace misses as % of lookups (100 - hit rate) over the window. spec cache row "hit rate":
   * > 95 % excellent (normal 5), < 70 % hit rate is an info finding (info 30).
   */
  redisMissRatePercent: { normal: 5, info: 30 },
  /** PING round trip p99, ms. spec cache row "response time" (< 5 ms excellent, > 50 ms needs improvement) and KPI "cache p99 < 10 ms" */
  redisPingP99Ms: { normal: 5, info: 10, warning: 50 },
  /** failed PINGs as % of those sent. spec cache row "availability" (< 95 % needs improvement; "cache unavailable" is a warning) */
  redisPingFailurePercent: { warning: 5 },
  /** used_memory as % of maxmemory. spec cache row (< 80 excellent, > 95 needs improvement); Redis row (redis_exporter): > 90 % warning */
  redisMemoryPercent: { normal: 80, warning: 90, critical: 95 },
  /** mem_fragmentation_ratio, with redisFragmentationBytes wasted. MEMORY DOCTOR / SPEC-THRESHOLDS Redis row: > 1.4 with > 10 MB warning */
  redisFragmentationRatio: { warning: 1.4 },
  /** bytes of RSS above used_memory. MEMORY DOCTOR: 10 MB (10 << 20) */
  redisFragmentationBytes: { warning: 10_485_760 },
  /** keys evicted during the window. redis_exporter alert rules / SPEC-THRESHOLDS Redis row: evicted_keys increasing is a warning */
  redisEvictedKeys: { warning: 0 },
  /**
   * keys evicted since the server started, when none were in the window: a warning when it started at most recentUptimeSeconds ago
   * (the evictions are that recent), else info. redis_exporter alert rules / SPEC-THRESHOLDS Redis row: evicted_keys increasing is a
   * warning; the hour is ours (a counter since a start within the hour increased within the hour)
   */
  redisEvictedSinceStart: { warning: 0, recentUptimeSeconds: 3600 },
  /** connections rejected during the window. redis_exporter alert rules / SPEC-THRESHOLDS Redis row: increasing is critical */
  redisRejectedConnections: { critical: 0 },
  /** connected_clients as % of maxclients. redis_exporter alert rules / SPEC-THRESHOLDS Redis row: > 90 % warning */
  redisClientsPercent: { warning: 90 },
  /** slowlog entry duration, ms. SPEC-THRESHOLDS Redis row: slowlog entries (> 10 ms, Redis's default slowlog-log-slower-than) are a warning */
  redisSlowlogMs: { warning: 10 },
  /** average server-side µs per call of the application's commands. Redis Enterprise / SPEC-THRESHOLDS Redis row: > 1 ms warning, > 4 ms critical */
  redisServerLatencyUsec: { warning: 1000, critical: 4000 },
  /** string value bytes. RedisInsight / SPEC-THRESHOLDS Redis row: string > 1 MB */
  redisBigStringBytes: { warning: 1_000_000 },
  /** hash fields. RedisInsight / SPEC-THRESHOLDS Redis row: hash > 5,000 fields */
  redisBigHashFields: { warning: 5000 },
  /** set members. RedisInsight / SPEC-THRESHOLDS Redis row: set > 100,000 members */
  redisBigSetMembers: { warning: 100_000 },
  /** sorted set members. The RedisInsight set row (100,000 members) applied to sorted sets (ours: the source has no sorted-set row) */
  redisBigZsetMembers: { warning: 100_000 },
  /** list elements. RedisInsight / SPEC-THRESHOLDS Redis row: list > 1,000 elements */
  redisBigListElements: { warning: 1000 },
  /**
   * jobs waiting in one worker queue. spec KPI "> 100 background jobs / minute": a backlog above 1,000 jobs is
   * more than 10 minutes of work at the KPI throughput (derived, ours)
   */
  redisQueueBacklog: { warning: 1000 },
  /** backlog growth, jobs per minute over the window. spec "Worker Queue Processing Throughput": any sustained growth means consumers fall behind */
  redisQueueGrowthPerMin: { warning: 0 },
  /** p95 of /health, ms. spec: API response times, /health row (target < 50, warning > 200, critical > 500) */
  apiHealthMs: { normal: 50, warning: 200, critical: 500 },
  /** p95 of the login, ms. spec: API response times, login row (target < 300, warning > 1000, critical > 2000) */
  apiLoginMs: { normal: 300, warning: 1000, critical: 2000 },
  /** p95 of the profile endpoint, ms. spec: API response times, profile row (target < 200, warning > 800, critical > 1500) */
  apiProfileMs: { normal: 200, warning: 800, critical: 1500 },
  /** p95 of dashboard endpoints, ms. spec: API response times, dashboard row (target < 500, warning > 2000, critical > 5000) */
  apiDashboardMs: { normal: 500, warning: 2000, critical: 5000 },
  /** p95 of any other endpoint, ms. spec: API response times, "any other endpoint" row (KPI p95 < 500, warning > 2000, critical > 5000) */
  apiOtherMs: { normal: 500, warning: 2000, critical: 5000 },
  /**
   * % of requests answered 5xx or not at all. spec KPI: success rate > 99.9 % (warning above 0.1 %);
   * critical above 1 %: the load test's capacity criterion ("errors stay under 1 %").
   */
  apiErrorRatePercent: { warning: 0.1, critical: 1 },
  /** login + first authenticated request, p95, ms. spec KPI: authentication end to end < 300 ms */
  authEndToEndMs: { warning: 300 },
  /** password hashing as % of the login p50. Ours: "dominates" = more than half of the login's time */
  loginHashSharePercent: { info: 50 },
  /** access-token lifetime, s. OWASP JWT cheat sheet: access tokens short-lived; longer than a day is a warning */
  tokenLifetimeSeconds: { warning: 86_400 },
  /** token size, bytes. RFC 6265 section 6.1: user agents need only keep 4096-byte cookies; every request carries it */
  tokenSizeBytes: { info: 4096 },
  /** concurrent users the load test sustained (the knee); fires BELOW. spec KPI: > 100 concurrent users */
  loadConcurrentUsers: { warning: 100 },
  /** requests/s sustained at the knee; fires BELOW. spec KPI: > 500 RPS sustained */
  loadThroughputRps: { warning: 500 },
  /** % of load-test requests that failed. spec KPI: success rate > 99.9 %, so > 0.1 % failed is a warning */
  loadErrorPercent: { warning: 0.1 },
  /** p95 under load, ms. spec KPI: API p95 < 500 ms */
  loadP95Ms: { warning: 500 },
  /** p95 at the top of the ladder over p95 at its first level. Own: an order of magnitude (10x) is the "latency grows with load" signal */
  loadLatencyGrowth: { info: 10 },
  /**
   * open model: corrected p99 over as-sent p99. wrk2 / Gil Tene ("How NOT to measure latency"): a corrected
   * percentile far above the as-sent one means requests waited for the target (coordinated omission); 2x = "far"
   */
  loadCoordinatedOmission: { warning: 2 },
  /** % of a container's CPU limit (--cpus, quota, cpuset) used, 100 % = the limit. spec CPU row (warning > 80, critical > 95) applied to the container's limit; CPU % computed as SPEC-THRESHOLDS Containers row (docker stats) */
  containerCpu: { warning: 80, critical: 95 },
  /** % of a container's memory limit in its working set (usage - inactive file). SPEC-THRESHOLDS Containers row (docker stats, cAdvisor): > 80 % warning, > 95 % critical */
  containerMemory: { warning: 80, critical: 95 },
  /** % of CFS periods in which a container was throttled. SPEC-THRESHOLDS Containers row (cAdvisor): > 25 % warning */
  containerThrottled: { warning: 25 },
  /** restarts of a container during the window. SPEC-THRESHOLDS Containers row: restart count rising is critical */
  containerRestarts: { critical: 0 },
};

/** Defaults with the user's overrides laid over them. */
export function mergeThresholds(overrides: ThresholdOverrides = {}): Thresholds {
  const merged = structuredClone(DEFAULT_THRESHOLDS);
  for (const [key, value] of Object.entries(overrides)) {
    Object.assign(merged[key as keyof Thresholds], value);
  }
  return merged;
}
