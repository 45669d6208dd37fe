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
 * Runs every rule over the artifacts. A rule that throws does not stop the others: it is
 * reported as not-applicable with the error text. Findings come out most severe first;
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
      const text = error instanceof Error ? error.message : String(error);
      results.push({ ruleId: rule.id, outcome: 'not-applicable', findings: 0, reason: `rule failed: ${text}` });
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
