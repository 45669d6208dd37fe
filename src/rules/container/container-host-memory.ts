import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainerMemory } from '../lib/containers.js';
import { formatBytes, formatPercent, joinList, levelAbove } from '../levels.js';

const NAMED = 3;

export const rule = defineRule({
  id: 'container-host-memory',
  component: 'system',
  category: 'memory',
  description:
    'When host memory crosses the memory thresholds, the containers that hold it, largest working set first (reads the system and docker artifacts; same levels as host-memory-utilisation).',
  requires: ['system', 'docker'],
  check(context) {
    const { system, docker } = context.data;
    const used = system.memory.usedPercent.value;
    const totalBytes = system.memory.totalBytes.value;
    if (used === null || totalBytes === null || totalBytes <= 0) return NOT_APPLICABLE;
    const crossed = levelAbove(used, context.thresholds.memory);
    if (!crossed) return;
    const holders = docker.containers
      .filter((container) => (container.memory.workingSetBytes.value ?? 0) > 0)
      .sort((a, b) => (b.memory.workingSetBytes.value ?? 0) - (a.memory.workingSetBytes.value ?? 0));
    const heaviest = holders[0];
    if (!heaviest) return;
    const held = holders.reduce((sum, container) => sum + (container.memory.workingSetBytes.value ?? 0), 0);
    const named = holders.slice(0, NAMED);
    const heaviestBytes = heaviest.memory.workingSetBytes.value ?? 0;
    context.report({
      severity: crossed.severity,
      subject: containerSubject(heaviest),
      title: 'Containers behind the host memory use',
      message:
        `Host memory was ${formatPercent(used)} used; containers hold ${formatBytes(held)} (${formatPercent((held / totalBytes) * 100)} of ${formatBytes(totalBytes)}). ` +
        `Largest: ${joinList([...named.map(describeContainerMemory), ...(holders.length > named.length ? [`${holders.length - named.length} more`] : [])])}.`,
      evidence: { metric: 'docker.containers.memory.workingSetBytes', value: heaviestBytes, unit: 'bytes', threshold: crossed.threshold },
      recommendation:
        heaviest.memory.limitBytes === null
          ? `Start with ${composeHint(heaviest)}: it has no memory limit, so it can grow until the host OOM killer picks a victim. ` +
            `Give it one (\`docker update --memory N --memory-swap N ${heaviest.name}\` / compose \`mem_limit\`) sized from its working set, or add RAM.`
          : `Start with ${composeHint(heaviest)} (limit ${formatBytes(heaviest.memory.limitBytes)}): the sum of the limits should fit in the host's memory; ` +
            'lower the limits that are larger than needed, or add RAM.',
    });
  },
});
