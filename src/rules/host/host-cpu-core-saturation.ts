import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { describeProcess, formatPercent, formatWindow, levelAbove, round, topProcesses, windowMsOf } from '../levels.js';

/**
 * One core pegged while the host as a whole is quiet: a single thread is the limit,
 * and more cores will not help. When the host is busy overall, host-cpu-utilisation speaks instead.
 */
export const rule = defineRule({
  id: 'host-cpu-core-saturation',
  component: 'system',
  category: 'cpu',
  description: 'A single core nearly fully busy while all cores together are under the normal CPU level (a single-threaded bottleneck).',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { cpu } = system;
    const total = cpu.totalPercent.value;
    const measuredCores = cpu.perCore.filter((core) => core.busyPercent.value !== null);
    if (total === null || measuredCores.length === 0) return NOT_APPLICABLE;
    if (total >= context.thresholds.cpu.normal) return;

    // a process using about one core (or more) is the likely owner of the hot thread
    const likelyOwner = topProcesses(system.topProcessesByCpu, 'cpu', 1).find((sample) => sample.cpuPercent >= 80);
    for (const core of measuredCores) {
      const busy = core.busyPercent.value as number;
      const crossed = levelAbove(busy, context.thresholds.cpuCoreBusy);
      if (!crossed) continue;
      const window = formatWindow(windowMsOf(core.busyPercent, system));
      context.report({
        severity: crossed.severity,
        subject: `host:cpu:${core.core}`,
        title: `Core ${core.core} saturated while the host is mostly idle`,
        message:
          `Core ${core.core} was ${formatPercent(busy)} busy over the ${window} window while all ${cpu.cores} cores together ` +
          `were ${formatPercent(total)} busy: one thread is the limit, not the number of cores.` +
          (likelyOwner ? ` Busiest process: ${describeProcess(likelyOwner, 'cpu')}.` : ''),
        evidence: {
          metric: `system.cpu.perCore[${core.core}].busyPercent`,
          value: round(busy, 1),
          unit: '%',
          threshold: crossed.threshold,
        },
        recommendation:
          (likelyOwner
            ? `Check ${likelyOwner.name} (pid ${likelyOwner.pid}) first: \`top -H -p ${likelyOwner.pid}\` or \`pidstat -t -p ${likelyOwner.pid} 1\` shows the hot thread. `
            : `Find the thread pinned to core ${core.core} with \`ps -eLo pid,tid,psr,pcpu,comm --sort=-pcpu | head\` (column psr = core). `) +
          'A Node.js event loop is single-threaded: move CPU-heavy work to worker_threads or run more processes ' +
          '(cluster, more replicas behind the load balancer). A single long SQL query or Redis command also pegs one core. ' +
          `If the time is mostly softirq/irq (\`mpstat -P ${core.core} 1\`), spread interrupts with irqbalance or RPS.`,
      });
    }
  },
});
