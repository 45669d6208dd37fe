import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { describeProcess, formatBytes, formatPercent, formatWindow, levelAbove, round, topProcesses, windowMsOf } from '../levels.js';

export const rule = defineRule({
  id: 'host-swap-activity',
  component: 'system',
  category: 'memory',
  description: 'Pages swapped in and out per second during the sampling window (memory saturation).',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { memory } = system;
    const swapIn = memory.swapInPagesPerSec.value;
    const swapOut = memory.swapOutPagesPerSec.value;
    if (swapIn === null && swapOut === null) return NOT_APPLICABLE;

    // the threshold is on the sum: any traffic in either direction means memory ran short
    const pagesPerSec = (swapIn ?? 0) + (swapOut ?? 0);
    const crossed = levelAbove(pagesPerSec, context.thresholds.swapPagesPerSec);
    if (!crossed) return;

    const directions = [
      swapIn === null ? null : `${round(swapIn, 1)} pages/s in`,
      swapOut === null ? null : `${round(swapOut, 1)} pages/s out`,
    ].filter((part): part is string => part !== null);
    const swapUse =
      memory.swapUsedBytes.value !== null && memory.swapTotalBytes.value !== null
        ? ` ${formatBytes(memory.swapUsedBytes.value)} of ${formatBytes(memory.swapTotalBytes.value)} swap in use.`
        : '';
    const memoryUse = memory.usedPercent.value === null ? '' : ` Memory was ${formatPercent(memory.usedPercent.value)} used.`;
    const heaviest = topProcesses(system.topProcessesByMemory, 'memory', 1)[0];

    context.report({
      severity: crossed.severity,
      subject: 'host:swap',
      title: 'Host is swapping',
      message:
        `The host swapped ${directions.join(' and ')} over the ${formatWindow(windowMsOf(memory.swapInPagesPerSec, system))} window.` +
        swapUse +
        memoryUse,
      evidence: {
        metric: 'system.memory.swapInPagesPerSec + system.memory.swapOutPagesPerSec',
        value: round(pagesPerSec, 1),
        unit: 'pages/s',
        threshold: crossed.threshold,
      },
      recommendation:
        'Swapping during the run means memory ran short and every access to a swapped page waits on disk. ' +
        `See which processes are swapped out with \`grep VmSwap /proc/*/status | sort -k2 -n | tail\` and follow \`vmstat 1\` (columns si/so). ` +
        (heaviest ? `The largest process was ${describeProcess(heaviest, 'memory')}: cap or shrink it first. ` : '') +
        'Reduce what runs on the host or add RAM; lowering vm.swappiness only changes what gets evicted, not the shortage.',
    });
  },
});
