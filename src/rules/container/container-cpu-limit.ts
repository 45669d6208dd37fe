import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer, formatCores } from '../lib/containers.js';
import { formatPercent, formatWindow, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'container-cpu-limit',
  component: 'system',
  category: 'cpu',
  description: "A container's CPU use (as docker stats computes it) against its CPU limit, over the window.",
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    for (const container of docker.containers) {
      const share = container.cpu.percentOfLimit.value;
      const limit = container.cpu.limitCores;
      const percent = container.cpu.percent.value;
      if (share === null || limit === null || percent === null) continue;
      const crossed = levelAbove(share, context.thresholds.containerCpu);
      if (!crossed) continue;
      const throttled = container.cpu.throttledPercent.value;
      context.report({
        severity: crossed.severity,
        subject: containerSubject(container),
        title: crossed.severity === 'critical' ? 'Container at its CPU limit' : 'Container near its CPU limit',
        message:
          `${describeContainer(container)} used ${formatPercent(percent)} CPU (100 % = one core) over the ` +
          `${formatWindow(container.cpu.percentOfLimit.windowMs ?? docker.windowMs)} window: ${formatPercent(share)} of its ` +
          `${formatCores(limit)} limit` +
          (throttled !== null ? `; throttled in ${formatPercent(throttled)} of CPU periods.` : '.'),
        evidence: { metric: 'docker.containers.cpu.percentOfLimit', value: round(share, 1), unit: '%', threshold: crossed.threshold },
        recommendation:
          `Raise the CPU limit of ${composeHint(container)} (\`--cpus\` / compose \`cpus:\`, now ${formatCores(limit)}) if this load is expected, ` +
          `or find what it is busy with: \`docker top ${container.name}\` and \`docker stats ${container.name}\`, then profile the busiest process inside it. ` +
          'A service pinned at its limit queues its requests: its latency grows before anything fails.',
      });
    }
  },
});
