import type { Finding } from '../contracts/finding.js';
import type { Rule } from '../contracts/rule.js';
import { composeHint, containerSubject, describeContainer, dockerMetricsOf, formatCores } from './containers.js';
import { formatPercent, formatWindow, levelAbove, round } from './levels.js';

export const rule: Rule = {
  id: 'container-cpu-throttling',
  component: 'system',
  category: 'cpu',
  description: 'Share of CFS periods in which a container was throttled by its CPU quota, over the window.',
  evaluate(context) {
    const docker = dockerMetricsOf(context);
    if (!docker) return null;
    const findings: Finding[] = [];
    for (const container of docker.containers) {
      const throttled = container.cpu.throttledPercent.value;
      if (throttled === null) continue;
      const crossed = levelAbove(throttled, context.thresholds.containerThrottled);
      if (!crossed) continue;
      const limit = container.cpu.limitCores;
      const heldBack = container.cpu.throttledSecondsPerSec.value;
      findings.push({
        ruleId: rule.id,
        severity: crossed.severity,
        category: 'cpu',
        subject: containerSubject(container),
        title: 'Container CPU throttled',
        message:
          `${describeContainer(container)} was throttled in ${formatPercent(throttled)} of its CPU periods over the ` +
          `${formatWindow(container.cpu.throttledPercent.windowMs ?? docker.windowMs)} window` +
          (limit !== null ? ` (limit ${formatCores(limit)}` : ' (') +
          (heldBack !== null ? `${limit !== null ? ', ' : ''}held back ${round(heldBack, 2)} s per second)` : limit !== null ? ')' : 'no limit read)') +
          '. Throttled work waits for the next period: request latency jumps in steps of the period (100 ms by default).',
        evidence: { metric: 'docker.containers.cpu.throttledPercent', value: round(throttled, 1), unit: '%', threshold: crossed.threshold },
        recommendation:
          `Give ${composeHint(container)} more CPU quota (\`--cpus\` / compose \`cpus:\`) or fewer busy threads ` +
          '(worker or thread-pool size no larger than the quota in cores); multi-threaded runtimes burn a quota within a fraction of the period.',
      });
    }
    return findings;
  },
};
