import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer } from '../lib/containers.js';
import { formatBytes, formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'container-memory-limit',
  component: 'system',
  category: 'memory',
  description: "A container's memory working set (usage minus inactive file pages) against its memory limit.",
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    for (const container of docker.containers) {
      const share = container.memory.percentOfLimit.value;
      const limit = container.memory.limitBytes;
      const workingSet = container.memory.workingSetBytes.value;
      if (share === null || limit === null || workingSet === null) continue;
      const crossed = levelAbove(share, context.thresholds.containerMemory);
      if (!crossed) continue;
      context.report({
        severity: crossed.severity,
        subject: containerSubject(container),
        title: crossed.severity === 'critical' ? 'Container about to hit its memory limit' : 'Container near its memory limit',
        message:
          `${describeContainer(container)} holds ${formatBytes(workingSet)} (working set: usage minus inactive file pages) ` +
          `of its ${formatBytes(limit)} memory limit: ${formatPercent(share)}. At the limit the kernel reclaims its cache and then OOM-kills it.`,
        evidence: { metric: 'docker.containers.memory.percentOfLimit', value: round(share, 1), unit: '%', threshold: crossed.threshold },
        recommendation:
          `Raise the memory limit of ${composeHint(container)} (\`--memory\` / compose \`mem_limit\`, now ${formatBytes(limit)}) ` +
          `or bring its use down: check what grows with \`docker stats ${container.name}\` over time and \`docker exec ${container.name} ps aux\`; ` +
          'files in tmpfs or /dev/shm count against the limit too.',
      });
    }
  },
});
