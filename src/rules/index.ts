import type { Artifacts } from '../contracts/artifact.js';
import { SEVERITY_RANK, type Finding } from '../contracts/finding.js';
import type { Rule, RuleResult } from '../contracts/rule.js';
import type { Thresholds } from './thresholds.js';
import { rule as hostCpuUtilisation } from './host-cpu-utilisation.js';
import { rule as hostCpuCoreSaturation } from './host-cpu-core-saturation.js';
import { rule as hostIowait } from './host-iowait.js';
import { rule as hostCpuSteal } from './host-cpu-steal.js';
import { rule as hostLoadPerCore } from './host-load-per-core.js';
import { rule as hostMemoryUtilisation } from './host-memory-utilisation.js';
import { rule as hostSwapActivity } from './host-swap-activity.js';
import { rule as hostOomKills } from './host-oom-kills.js';
import { rule as hostPressureStall } from './host-pressure-stall.js';
import { rule as hostDiskSpace } from './host-disk-space.js';
import { rule as hostDiskInodes } from './host-disk-inodes.js';
import { rule as hostDiskAwait } from './host-disk-await.js';
import { rule as hostDiskUtilisation } from './host-disk-utilisation.js';
import { rule as hostNetworkErrors } from './host-network-errors.js';
import { rule as hostTcpRetransmits } from './host-tcp-retransmits.js';
import { rule as hostFileHandles } from './host-file-handles.js';
import { rule as postgresUnreachable } from './postgres-unreachable.js';
import { rule as postgresConnections } from './postgres-connections.js';
import { rule as postgresIdleInTransaction } from './postgres-idle-in-transaction.js';
import { rule as postgresLongRunningQuery } from './postgres-long-running-query.js';
import { rule as postgresBlockedQueries } from './postgres-blocked-queries.js';
import { rule as postgresCacheHitRatio } from './postgres-cache-hit-ratio.js';
import { rule as postgresMissingIndex } from './postgres-missing-index.js';
import { rule as postgresUnusedIndex } from './postgres-unused-index.js';
import { rule as postgresDuplicateIndex } from './postgres-duplicate-index.js';
import { rule as postgresInvalidIndex } from './postgres-invalid-index.js';
import { rule as postgresDeadTuples } from './postgres-dead-tuples.js';
import { rule as postgresVacuumAge } from './postgres-vacuum-age.js';
import { rule as postgresTableBloat } from './postgres-table-bloat.js';
import { rule as postgresSequenceExhaustion } from './postgres-sequence-exhaustion.js';
import { rule as postgresXidAge } from './postgres-xid-age.js';
import { rule as postgresRollbackRatio } from './postgres-rollback-ratio.js';
import { rule as postgresCheckpoints } from './postgres-checkpoints.js';
import { rule as postgresSlowStatements } from './postgres-slow-statements.js';
import { rule as postgresQueryPlan } from './postgres-query-plan.js';
import { rule as postgresAverageQueryTime } from './postgres-average-query-time.js';
import { rule as postgresSlowQueriesPerHour } from './postgres-slow-queries-per-hour.js';
import { rule as postgresStatementsMissing } from './postgres-statements-missing.js';
import { rule as postgresReplication } from './postgres-replication.js';
import { rule as postgresSettingsReview } from './postgres-settings-review.js';
import { rule as postgresNotVisible } from './postgres-not-visible.js';
import { rule as pgbouncerUnreachable } from './pgbouncer-unreachable.js';
import { rule as pgbouncerClientsWaiting } from './pgbouncer-clients-waiting.js';
import { rule as pgbouncerPoolUtilisation } from './pgbouncer-pool-utilisation.js';
import { rule as redisAvailability } from './redis-availability.js';
import { rule as redisHitRate } from './redis-hit-rate.js';
import { rule as redisResponseTime } from './redis-response-time.js';
import { rule as redisMemory } from './redis-memory.js';
import { rule as redisFragmentation } from './redis-fragmentation.js';
import { rule as redisEvictions } from './redis-evictions.js';
import { rule as redisRejectedConnections } from './redis-rejected-connections.js';
import { rule as redisClients } from './redis-clients.js';
import { rule as redisSlowlog } from './redis-slowlog.js';
import { rule as redisServerLatency } from './redis-server-latency.js';
import { rule as redisPersistence } from './redis-persistence.js';
import { rule as redisBigKeys } from './redis-big-keys.js';
import { rule as redisQueueBacklog } from './redis-queue-backlog.js';
import { rule as redisAccess } from './redis-access.js';
import { rule as apiUnreachable } from './api-unreachable.js';
import { rule as apiTlsRefused } from './api-tls-refused.js';
import { rule as apiEndpointLatency } from './api-endpoint-latency.js';
import { rule as diagnosisRootCause } from './diagnosis-root-cause.js';
import { rule as diagnosisBackgroundSaturation } from './diagnosis-background-saturation.js';
import { rule as apiErrorRate } from './api-error-rate.js';
import { rule as apiUnexpectedStatus } from './api-unexpected-status.js';
import { rule as apiRedirectLoop } from './api-redirect-loop.js';
import { rule as apiBodyCap } from './api-body-cap.js';
import { rule as apiLoginTokenMissing } from './api-login-token-missing.js';
import { rule as apiAuthEndToEnd } from './api-auth-end-to-end.js';
import { rule as apiLoginHashing } from './api-login-hashing.js';
import { rule as apiToken } from './api-token.js';
import { rule as apiSessionReuse } from './api-session-reuse.js';
import { rule as loadCapacity } from './load-capacity.js';
import { rule as loadErrors } from './load-errors.js';
import { rule as loadLatencyGrowth } from './load-latency-growth.js';
import { rule as loadLatencyStalls } from './load-latency-stalls.js';
import { rule as loadGeneratorLimited } from './load-generator-limited.js';
import { rule as loadCoordinatedOmission } from './load-coordinated-omission.js';
import { rule as containerCpuLimit } from './container-cpu-limit.js';
import { rule as containerCpuThrottling } from './container-cpu-throttling.js';
import { rule as containerMemoryLimit } from './container-memory-limit.js';
import { rule as containerOomKilled } from './container-oom-killed.js';
import { rule as containerRestartLoop } from './container-restart-loop.js';
import { rule as containerUnhealthy } from './container-unhealthy.js';
import { rule as containerExitedError } from './container-exited-error.js';
import { rule as containerHostCpu } from './container-host-cpu.js';
import { rule as containerHostMemory } from './container-host-memory.js';
import { rule as dockerEngineUnreachable } from './docker-engine-unreachable.js';
import { errorMessage } from '../shared/errors.js';

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

/**
 * Runs every rule over the artifacts. A rule that throws does not stop the others: its outcome is
 * `error` with what it threw (a check that could not run is not a check that did not apply). Findings come out most severe first;
 * within one severity they keep the rule order (the sort is stable).
 */
export function evaluateRules(
  artifacts: Artifacts,
  thresholds: Thresholds,
  rules: readonly Rule[] = RULES,
): { findings: Finding[]; results: RuleResult[] } {
  const findings: Finding[] = [];
  const results: RuleResult[] = [];
  for (const rule of rules) {
    let ruleFindings: Finding[] | null;
    try {
      ruleFindings = rule.evaluate({ artifacts, thresholds });
    } catch (error) {
      const text = errorMessage(error);
      results.push({ ruleId: rule.id, outcome: 'error', findings: 0, reason: `rule failed: ${text}` });
      continue;
    }
    if (ruleFindings === null) {
      results.push({ ruleId: rule.id, outcome: 'not-applicable', findings: 0 });
    } else {
      results.push({ ruleId: rule.id, outcome: ruleFindings.length > 0 ? 'failed' : 'passed', findings: ruleFindings.length });
      findings.push(...ruleFindings);
    }
  }
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return { findings, results };
}
