import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import type { ProcessSample } from '../../contracts/system.js';
import { describeProcess, formatBytes, formatPercent, joinList, levelAbove, round, topProcesses } from '../levels.js';

/** Where the usual memory hogs of a web stack are capped, by process name. */
function memoryCapFor(sample: ProcessSample): string | null {
  const name = sample.name.toLowerCase();
  if (name.startsWith('postgres')) return 'for PostgreSQL, shared_buffers plus work_mem x active connections';
  if (name.startsWith('redis')) return 'for Redis, maxmemory with an eviction policy';
  if (name === 'node' || name.startsWith('node ')) return 'for Node.js, --max-old-space-size';
  if (name === 'java') return 'for the JVM, -Xmx';
  return null;
}

export const rule = defineRule({
  id: 'host-memory-utilisation',
  component: 'system',
  category: 'memory',
  description: 'Share of memory in use (total - available), against the memory thresholds.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { memory } = system;
    const usedPercent = memory.usedPercent.value;
    if (usedPercent === null) return NOT_APPLICABLE;

    const crossed = levelAbove(usedPercent, context.thresholds.memory);
    if (!crossed) return;

    const amounts =
      memory.totalBytes.value !== null && memory.availableBytes.value !== null
        ? ` (${formatBytes(memory.totalBytes.value - memory.availableBytes.value)} of ${formatBytes(memory.totalBytes.value)}; ` +
          `${formatBytes(memory.availableBytes.value)} available)`
        : '';
    const heaviest = topProcesses(system.topProcessesByMemory, 'memory');
    const culprits =
      heaviest.length > 0 ? ` Largest processes: ${joinList(heaviest.map((sample) => describeProcess(sample, 'memory')))}.` : '';

    const caps = heaviest.map(memoryCapFor).filter((cap): cap is string => cap !== null);
    const first = heaviest[0];
    const recommendation =
      (first
        ? `Start with ${first.name} (pid ${first.pid}): run the report again later to see whether its resident size keeps growing (a leak), ` +
          `and look at \`smem -rs rss\` or \`ps -eo pid,rss,comm --sort=-rss | head\` for the rest. `
        : 'Find the largest processes with `ps -eo pid,rss,comm --sort=-rss | head`. ') +
      (caps.length > 0 ? `Cap what may grow: ${caps.join('; ')}. ` : 'Set memory limits on what may grow (container --memory, runtime heap limits). ') +
      (crossed.severity === 'info'
        ? 'There is still headroom; watch the trend.'
        : 'Near the limit the kernel starts reclaiming cache, swapping and then OOM-killing: free memory or add RAM before that.');

    context.report({
      severity: crossed.severity,
      subject: 'host:memory',
      title: crossed.severity === 'info' ? 'Memory use above normal' : 'Memory nearly exhausted',
      message: `Memory was ${formatPercent(usedPercent)} used${amounts}.${culprits}`,
      evidence: { metric: 'system.memory.usedPercent', value: round(usedPercent, 1), unit: '%', threshold: crossed.threshold },
      recommendation,
    });
  },
});
