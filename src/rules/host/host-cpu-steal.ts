import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatPercent, formatWindow, levelAbove, round, windowMsOf } from '../levels.js';

export const rule = defineRule({
  id: 'host-cpu-steal',
  component: 'system',
  category: 'cpu',
  description: 'Share of CPU time the hypervisor gave to other guests (steal) over the sampling window.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const steal = system.cpu.stealPercent.value;
    if (steal === null) return NOT_APPLICABLE;

    const crossed = levelAbove(steal, context.thresholds.steal);
    if (!crossed) return;

    context.report({
      severity: crossed.severity,
      subject: 'host:cpu',
      title: 'CPU time stolen by the hypervisor',
      message:
        `The hypervisor withheld ${formatPercent(steal)} of CPU time from this ${system.cpu.cores}-core VM over the ` +
        `${formatWindow(windowMsOf(system.cpu.stealPercent, system))} window (steal): it ran other guests when this one wanted to run.`,
      evidence: { metric: 'system.cpu.stealPercent', value: round(steal, 1), unit: '%', threshold: crossed.threshold },
      recommendation:
        'The cause is outside this VM, so tuning inside it will not help. Watch the `st` column of `vmstat 1` over time; ' +
        'on a burstable instance (AWS T-class, Azure B-series, GCP shared-core) check whether the CPU credits ran out; ' +
        'otherwise ask the provider about an overcommitted host, or move to a dedicated or compute-optimised instance. ' +
        'Latency measured during this run is inflated by the steal.',
    });
  },
});
