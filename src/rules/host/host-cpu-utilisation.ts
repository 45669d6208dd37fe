import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import {
  describeProcess,
  formatPercent,
  formatWindow,
  joinList,
  levelAbove,
  round,
  
  topProcesses,
  windowMsOf,
} from '../levels.js';

export const rule = defineRule({
  id: 'host-cpu-utilisation',
  component: 'system',
  category: 'cpu',
  description: 'Share of all CPU cores busy over the sampling window, against the cpu thresholds.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { cpu } = system;
    const total = cpu.totalPercent.value;
    if (total === null) return NOT_APPLICABLE;

    const crossed = levelAbove(total, context.thresholds.cpu);
    if (!crossed) return;

    const busiest = topProcesses(system.topProcessesByCpu, 'cpu');
    const split = [
      cpu.userPercent.value === null ? null : `user ${formatPercent(cpu.userPercent.value)}`,
      cpu.systemPercent.value === null ? null : `system ${formatPercent(cpu.systemPercent.value)}`,
      cpu.iowaitPercent.value === null ? null : `iowait ${formatPercent(cpu.iowaitPercent.value)}`,
    ].filter((part): part is string => part !== null);
    const seen =
      `CPU was ${formatPercent(total)} busy across ${cpu.cores} cores over the ${formatWindow(windowMsOf(cpu.totalPercent, system))} window` +
      (split.length > 0 ? ` (${split.join(', ')})` : '') +
      '.';
    const culprits =
      busiest.length > 0
        ? ` Busiest processes: ${joinList(busiest.map((sample) => describeProcess(sample, 'cpu')))} (100 % = one core).`
        : ' No per-process CPU sample was taken.';

    const first = busiest[0];
    const recommendation = first
      ? `Start with ${first.name} (pid ${first.pid}): \`top -H -p ${first.pid}\` shows its hottest threads and ` +
        `\`perf top -p ${first.pid}\` its hottest functions (for Node.js, a \`--cpu-prof\` profile). ` +
        `If the work is expected, give the host more cores or spread ${first.name} over more instances; ` +
        `if it competes with the service being measured, cap it (container \`--cpus\`, \`nice\`) or move it to another host.`
      : 'Find the busy processes with `pidstat -u 1 5` or `top -o %CPU`, then profile the heaviest one ' +
        '(`top -H -p <pid>`, `perf top -p <pid>`); add cores or spread the work if the load is expected.';

    context.report({
      severity: crossed.severity,
      subject: 'host:cpu',
      title: crossed.severity === 'critical' ? 'CPU saturated' : 'High CPU utilisation',
      message: seen + culprits,
      evidence: { metric: 'system.cpu.totalPercent', value: round(total, 1), unit: '%', threshold: crossed.threshold },
      recommendation,
    });
  },
});
