/**
 * The thresholds every rule is judged against: for each key, its levels. A finding is raised above
 * `info` / `warning` / `critical` (below, for the load test's capacity keys); `normal` is where the
 * component score starts to fall; other names (minCalls, minRows, ...) qualify the levels.
 * A type, not an interface, so that Object.entries over it keeps the value type.
 * The default values, with what each key measures and its source, are in src/rules/thresholds.ts.
 */
export type Thresholds = {
  // host
  cpu: { normal: number; warning: number; critical: number };
  iowait: { warning: number };
  steal: { warning: number };
  loadPerCore: { normal: number; warning: number; critical: number };
  memory: { normal: number; info: number; warning: number; critical: number };
  swapPagesPerSec: { warning: number };
  oomKills: { critical: number };
  pressureSomeAvg10: { warning: number };
  disk: { normal: number; warning: number; critical: number };
  inodes: { warning: number; critical: number };
  diskAwaitMs: { warning: number; critical: number };
  diskUtilisation: { warning: number };
  networkErrorPercent: { warning: number };
  tcpRetransmitPercent: { warning: number };
  fileHandles: { warning: number; critical: number };
  cpuCoreBusy: { info: number };

  // PostgreSQL and PgBouncer
  connections: { normal: number; warning: number; critical: number };
  averageQueryMs: { normal: number; warning: number; critical: number };
  slowQueriesPerHour: { normal: number; warning: number; critical: number };
  statementMeanMs: { warning: number; minCalls: number };
  cacheMissPercent: { warning: number; critical: number };
  seqScanPercent: { warning: number; minRows: number; minWorkloadScans: number };
  statementTimeShare: { warning: number; minCalls: number };
  unusedIndexBytes: { warning: number };
  idleInTransactionSeconds: { warning: number };
  longQuerySeconds: { warning: number };
  transactionSeconds: { warning: number };
  blockedQueries: { warning: number };
  deadTuples: { warning: number; deadPercent: number };
  vacuumAgeDays: { warning: number };
  tableBloatBytes: { warning: number; critical: number };
  sequencePercent: { warning: number; critical: number };
  xidAge: { warning: number; critical: number };
  rollbackPercent: { warning: number };
  requestedCheckpointPercent: { warning: number };
  poolClientsWaiting: { warning: number; critical: number };
  poolMaxWaitSeconds: { critical: number };
  poolUtilisation: { normal: number; warning: number; critical: number };

  // Redis
  redisMissRatePercent: { normal: number; info: number };
  redisPingP99Ms: { normal: number; info: number; warning: number };
  redisPingFailurePercent: { warning: number };
  redisMemoryPercent: { normal: number; warning: number; critical: number };
  redisFragmentationRatio: { warning: number };
  redisFragmentationBytes: { warning: number };
  redisEvictedKeys: { warning: number };
  redisEvictedSinceStart: { warning: number; recentUptimeSeconds: number };
  redisRejectedConnections: { critical: number };
  redisClientsPercent: { warning: number };
  redisSlowlogMs: { warning: number };
  redisServerLatencyUsec: { warning: number; critical: number };
  redisBigStringBytes: { warning: number };
  redisBigHashFields: { warning: number };
  redisBigSetMembers: { warning: number };
  redisBigZsetMembers: { warning: number };
  redisBigListElements: { warning: number };
  redisQueueBacklog: { warning: number };
  redisQueueGrowthPerMin: { warning: number };

  // API
  apiHealthMs: { normal: number; warning: number; critical: number };
  apiLoginMs: { normal: number; warning: number; critical: number };
  apiProfileMs: { normal: number; warning: number; critical: number };
  apiDashboardMs: { normal: number; warning: number; critical: number };
  apiOtherMs: { normal: number; warning: number; critical: number };
  apiErrorRatePercent: { warning: number; critical: number };
  authEndToEndMs: { warning: number };
  loginHashSharePercent: { info: number };
  tokenLifetimeSeconds: { warning: number };
  tokenSizeBytes: { info: number };

  // load test
  loadConcurrentUsers: { warning: number };
  loadThroughputRps: { warning: number };
  loadErrorPercent: { warning: number };
  loadP95Ms: { warning: number };
  loadLatencyGrowth: { info: number };
  loadCoordinatedOmission: { warning: number };

  // containers
  containerCpu: { warning: number; critical: number };
  containerMemory: { warning: number; critical: number };
  containerThrottled: { warning: number };
  containerRestarts: { critical: number };
};

/** The user's `thresholds:` section: any key, any of its levels. */
export type ThresholdOverrides = { [K in keyof Thresholds]?: Partial<Thresholds[K]> };
