import type { Category } from '../../contracts/finding.js';
import type { Metric } from '../../contracts/metric.js';
import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import type { PressureMetrics } from '../../contracts/system.js';
import { formatPercent, levelAbove, round } from '../levels.js';

interface PressureResource {
  resource: 'cpu' | 'memory' | 'io';
  field: keyof PressureMetrics;
  category: Category;
  waitingFor: string;
  recommendation: string;
}

const RESOURCES: readonly PressureResource[] = [
  {
    resource: 'cpu',
    field: 'cpuSomeAvg10',
    category: 'cpu',
    waitingFor: 'a CPU',
    recommendation:
      'Runnable tasks waited for a core: see the CPU utilisation and load findings for the busy processes, ' +
      'check container CPU limits (throttling also shows here), and add cores or move work off the host.',
  },
  {
    resource: 'memory',
    field: 'memorySomeAvg10',
    category: 'memory',
    waitingFor: 'memory (reclaim or swap-in)',
    recommendation:
      'Tasks stalled while the kernel reclaimed memory or read pages back from swap: see the memory and swap findings, ' +
      'find the largest processes with `ps -eo pid,rss,comm --sort=-rss | head`, cap them or add RAM.',
  },
  {
    resource: 'io',
    field: 'ioSomeAvg10',
    category: 'disk',
    waitingFor: 'I/O',
    recommendation:
      'Tasks stalled on storage: find the device with `iostat -x 1` (await, %util) and the processes with `iotop -o` or `pidstat -d 1`; ' +
      'memory pressure can also turn into I/O pressure through swapping and page-cache refaults.',
  },
];

export const rule = defineRule({
  id: 'host-pressure-stall',
  component: 'system',
  category: 'system',
  description: 'Pressure stall information (PSI "some avg10"): share of time some task stalled waiting for CPU, memory or I/O.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { pressure } = system;
    if (pressure === null) return NOT_APPLICABLE; // kernel without PSI
    if (RESOURCES.every(({ field }) => pressure[field].value === null)) return NOT_APPLICABLE;
    for (const resource of RESOURCES) {
      const metric: Metric = pressure[resource.field];
      if (metric.value === null) continue;
      const crossed = levelAbove(metric.value, context.thresholds.pressureSomeAvg10);
      if (!crossed) continue;
      context.report({
        severity: crossed.severity,
        category: resource.category,
        subject: `host:pressure:${resource.resource}`,
        title: `Tasks stalled waiting for ${resource.resource === 'io' ? 'I/O' : resource.resource}`,
        message:
          `Some task was stalled waiting for ${resource.waitingFor} ${formatPercent(metric.value)} of the time ` +
          `over the last 10 s (/proc/pressure/${resource.resource}, some avg10).`,
        evidence: {
          metric: `system.pressure.${resource.field}`,
          value: round(metric.value, 1),
          unit: '%',
          threshold: crossed.threshold,
        },
        recommendation: resource.recommendation,
      });
    }
  },
});
