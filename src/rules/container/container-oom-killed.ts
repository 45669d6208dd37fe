import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer } from '../lib/containers.js';
import { formatBytes } from '../levels.js';

export const rule = defineRule({
  id: 'container-oom-killed',
  component: 'system',
  category: 'memory',
  description: 'A container whose last run was ended by the kernel OOM killer (State.OOMKilled).',
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    for (const container of docker.containers) {
      if (!container.oomKilled) continue;
      const limit = container.memory.limitBytes;
      context.report({
        severity: 'critical',
        subject: containerSubject(container),
        title: 'Container killed for lack of memory',
        message:
          `${describeContainer(container)} was killed by the kernel OOM killer` +
          (limit !== null ? ` at its ${formatBytes(limit)} memory limit` : ' (no container limit: the host ran out of memory)') +
          `; it is now ${container.state}` +
          (container.exitCode !== null ? ` with exit code ${container.exitCode}` : '') +
          (container.exitedSecondsAgo !== null ? `, ${Math.round(container.exitedSecondsAgo / 60)} min ago.` : '.'),
        evidence: { metric: 'docker.containers.oomKilled', value: 1, unit: 'boolean', threshold: 0 },
        recommendation:
          (limit !== null
            ? `Raise the memory limit of ${composeHint(container)} (\`--memory\` / compose \`mem_limit\`, now ${formatBytes(limit)}) `
            : `Give ${composeHint(container)} a memory limit and the host more headroom, `) +
          'or find what grows: run it with `docker stats` open, and size heaps and caches (JVM -Xmx, Node --max-old-space-size, worker counts) below the limit. ' +
          `\`docker logs --tail 50 ${container.name}\` shows what it was doing when it was killed.`,
      });
    }
  },
});
