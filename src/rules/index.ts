import type { Artifacts } from '../contracts/artifact.js';
import type { Finding } from '../contracts/finding.js';
import type { Rule, RuleResult } from '../contracts/rule.js';
import type { Thresholds } from './thresholds.js';
import { evaluateAllRules } from './engine.js';
import { rule as hostCpuUtilisation } from './host/host-cpu-utilisation.js';
import { rule as hostCpuCoreSaturation } from './host/host-cpu-core-saturation.js';
import { rule as hostIowait } from './host/host-iowait.js';
import { rule as hostCpuSteal } from './host/host-cpu-steal.js';
import { rule as hostLoadPerCore } from './host/host-load-per-core.js';
import { rule as hostMemoryUtilisation } from './host/host-memory-utilisation.js';
import { rule as hostSwapActivity } from './host/host-swap-activity.js';
import { rule as hostOomKills } from './host/host-oom-kills.js';
import { rule as hostPressureStall } from './host/host-pressure-stall.js';
import { rule as hostDiskSpace } from './host/host-disk-space.js';
import { rule as hostDiskInodes } from './host/host-disk-inodes.js';
import { rule as hostDiskAwait } from './host/host-disk-await.js';
import { rule as hostDiskUtilisation } from './host/host-disk-utilisation.js';
import { rule as hostNetworkErrors } from './host/host-network-errors.js';
import { rule as hostTcpRetransmits } from './host/host-tcp-retransmits.js';
import { rule as hostFileHandles } from './host/host-file-handles.js';
import { rule as postgresUnreachable } from './postgres/postgres-unreachable.js';
import { rule as postgresConnections } from './postgres/postgres-connections.js';
import { rule as postgresIdleInTransaction } from './postgres/postgres-idle-in-transaction.js';
import { rule as postgresLongRunningQuery } from './postgres/postgres-long-running-query.js';
import { rule as postgresBlockedQueries } from './postgres/postgres-blocked-queries.js';
import { rule as postgresCacheHitRatio } from './postgres/postgres-cache-hit-ratio.js';
import { rule as postgresMissingIndex } from './postgres/postgres-missing-index.js';
import { rule as postgresUnusedIndex } from './postgres/postgres-unused-index.js';
import { rule as postgresDuplicateIndex } from './postgres/postgres-duplicate-index.js';
import { rule as postgresInvalidIndex } from './postgres/postgres-invalid-index.js';
import { rule as postgresDeadTuples } from './postgres/postgres-dead-tuples.js';
import { rule as postgresVacuumAge } from './postgres/postgres-vacuum-age.js';
import { rule as postgresTableBloat } from './postgres/postgres-table-bloat.js';
import { rule as postgresSequenceExhaustion } from './postgres/postgres-sequence-exhaustion.js';
import { rule as postgresXidAge } from './postgres/postgres-xid-age.js';
import { rule as postgresRollbackRatio } from './postgres/postgres-rollback-ratio.js';
import { rule as postgresCheckpoints } from './postgres/postgres-checkpoints.js';
import { rule as postgresSlowStatements } from './postgres/postgres-slow-statements.js';
import { rule as postgresQueryPlan } from './postgres/postgres-query-plan.js';
import { rule as postgresAverageQueryTime } from './postgres/postgres-average-query-time.js';
import { rule as postgresSlowQueriesPerHour } from './postgres/postgres-slow-queries-per-hour.js';
import { rule as postgresStatementsMissing } from './postgres/postgres-statements-missing.js';
import { rule as postgresReplication } from './postgres/postgres-replication.js';
import { rule as postgresSettingsReview } from './postgres/postgres-settings-review.js';
import { rule as postgresNotVisible } from './postgres/postgres-not-visible.js';
import { rule as pgbouncerUnreachable } from './postgres/pgbouncer-unreachable.js';
import { rule as pgbouncerClientsWaiting } from './postgres/pgbouncer-clients-waiting.js';
import { rule as pgbouncerPoolUtilisation } from './postgres/pgbouncer-pool-utilisation.js';
import { rule as redisAvailability } from './redis/redis-availability.js';
import { rule as redisHitRate } from './redis/redis-hit-rate.js';
import { rule as redisResponseTime } from './redis/redis-response-time.js';
import { rule as redisMemory } from './redis/redis-memory.js';
import { rule as redisFragmentation } from './redis/redis-fragmentation.js';
import { rule as redisEvictions } from './redis/redis-evictions.js';
import { rule as redisRejectedConnections } from './redis/redis-rejected-connections.js';
import { rule as redisClients } from './redis/redis-clients.js';
import { rule as redisSlowlog } from './redis/redis-slowlog.js';
import { rule as redisServerLatency } from './redis/redis-server-latency.js';
import { rule as redisPersistence } from './redis/redis-persistence.js';
import { rule as redisBigKeys } from './redis/redis-big-keys.js';
import { rule as redisQueueBacklog } from './redis/redis-queue-backlog.js';
import { rule as redisAccess } from './redis/redis-access.js';
import { rule as apiUnreachable } from './api/api-unreachable.js';
import { rule as apiTlsRefused } from './api/api-tls-refused.js';
import { rule as apiEndpointLatency } from './api/api-endpoint-latency.js';
import { rule as diagnosisRootCause } from './diagnosis/diagnosis-root-cause.js';
import { rule as diagnosisBackgroundSaturation } from './diagnosis/diagnosis-background-saturation.js';
import { rule as apiErrorRate } from './api/api-error-rate.js';
import { rule as apiUnexpectedStatus } from './api/api-unexpected-status.js';
import { rule as apiRedirectLoop } from './api/api-redirect-loop.js';
import { rule as apiBodyCap } from './api/api-body-cap.js';
import { rule as apiLoginTokenMissing } from './api/api-login-token-missing.js';
import { rule as apiAuthEndToEnd } from './api/api-auth-end-to-end.js';
import { rule as apiLoginHashing } from './api/api-login-hashing.js';
import { rule as apiToken } from './api/api-token.js';
import { rule as apiSessionReuse } from './api/api-session-reuse.js';
import { rule as loadCapacity } from './load/load-capacity.js';
import { rule as loadErrors } from './load/load-errors.js';
import { rule as loadLatencyGrowth } from './load/load-latency-growth.js';
import { rule as loadLatencyStalls } from './load/load-latency-stalls.js';
import { rule as loadGeneratorLimited } from './load/load-generator-limited.js';
import { rule as loadCoordinatedOmission } from './load/load-coordinated-omission.js';
import { rule as containerCpuLimit } from './container/container-cpu-limit.js';
import { rule as containerCpuThrottling } from './container/container-cpu-throttling.js';
import { rule as containerMemoryLimit } from './container/container-memory-limit.js';
import { rule as containerOomKilled } from './container/container-oom-killed.js';
import { rule as containerRestartLoop } from './container/container-restart-loop.js';
import { rule as containerUnhealthy } from './container/container-unhealthy.js';
import { rule as containerExitedError } from './container/container-exited-error.js';
import { rule as containerHostCpu } from './container/container-host-cpu.js';
import { rule as containerHostMemory } from './container/container-host-memory.js';
import { rule as dockerEngineUnreachable } from './container/docker-engine-unreachable.js';

/** Every rule, in the order results are reported (by resource: CPU, memory, disk, network, kernel limits). */
export const RULES: readonly Rule[] = [
  hostCpuUtilisation,
  hostCpuCoreSaturation,
  hostIowait,
  hostCpuSteal,
  hostLoadPerCore,
  hostMemoryUtilisation,
  hostSwapActivity,
  hostOomKills,
  hostPressureStall,
  hostDiskSpace,
  hostDiskInodes,
  hostDiskAwait,
  hostDiskUtilisation,
  hostNetworkErrors,
  hostTcpRetransmits,
  hostFileHandles,
  postgresUnreachable,
  postgresConnections,
  postgresIdleInTransaction,
  postgresLongRunningQuery,
  postgresBlockedQueries,
  postgresCacheHitRatio,
  postgresMissingIndex,
  postgresUnusedIndex,
  postgresDuplicateIndex,
  postgresInvalidIndex,
  postgresDeadTuples,
  postgresVacuumAge,
  postgresTableBloat,
  postgresSequenceExhaustion,
  postgresXidAge,
  postgresRollbackRatio,
  postgresCheckpoints,
  postgresSlowStatements,
  postgresQueryPlan,
  postgresAverageQueryTime,
  postgresSlowQueriesPerHour,
  postgresStatementsMissing,
  postgresReplication,
  postgresSettingsReview,
  postgresNotVisible,
  pgbouncerUnreachable,
  pgbouncerClientsWaiting,
  pgbouncerPoolUtilisation,
  redisAvailability,
  redisHitRate,
  redisResponseTime,
  redisMemory,
  redisFragmentation,
  redisEvictions,
  redisRejectedConnections,
  redisClients,
  redisSlowlog,
  redisServerLatency,
  redisPersistence,
  redisBigKeys,
  redisQueueBacklog,
  redisAccess,
  apiUnreachable,
  apiTlsRefused,
  apiEndpointLatency,
  diagnosisRootCause,
  diagnosisBackgroundSaturation,
  apiErrorRate,
  apiUnexpectedStatus,
  apiRedirectLoop,
  apiBodyCap,
  apiLoginTokenMissing,
  apiAuthEndToEnd,
  apiLoginHashing,
  apiToken,
  apiSessionReuse,
  loadCapacity,
  loadErrors,
  loadLatencyGrowth,
  loadLatencyStalls,
  loadGeneratorLimited,
  loadCoordinatedOmission,
  containerCpuLimit,
  containerCpuThrottling,
  containerMemoryLimit,
  containerOomKilled,
  containerRestartLoop,
  containerUnhealthy,
  containerExitedError,
  containerHostCpu,
  containerHostMemory,
  dockerEngineUnreachable,
];

/** Runs every rule of the registry (or the rules given) over the artifacts: src/rules/engine.ts. */
export function evaluateRules(
  artifacts: Artifacts,
  thresholds: Thresholds,
  rules: readonly Rule[] = RULES,
): { findings: Finding[]; results: RuleResult[] } {
  return evaluateAllRules(rules, artifacts, thresholds);
}
