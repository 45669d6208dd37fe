import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer, formatCores } from '../lib/containers.js';
import { formatPercent, formatWindow, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'container-cpu-throttling',
  component: 'system',
  category: 'cpu',
  description: 'Share of CFS periods in which a container was throttled by its CPU quota, over the window.',
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    for (const container of docker.containers) {
      const throttled = container.cpu.throttledPercent.value;
      if (throttled === null) continue;
      const crossed = levelAbove(throttled, context.thresholds.containerThrottled);
      if (!crossed) continue;
      const limit = container.cpu.limitCores;
      const heldBack = container.cpu.throttledSecondsPerSec.value;
      context.report({
        severity: crossed.severity,
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
  },
});
