import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatFixed, formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'host-load-per-core',
  component: 'system',
  category: 'cpu',
  description: '5-minute load average divided by the number of cores, against the loadPerCore thresholds.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { load, cpu } = system;
    const perCore = load.load5PerCore.value;
    if (perCore === null) return NOT_APPLICABLE;

    const crossed = levelAbove(perCore, context.thresholds.loadPerCore);
    if (!crossed) return;

    const load5 = load.load5.value ?? perCore * cpu.cores;
    const trend =
      load.load1.value !== null && load.load15.value !== null
        ? ` (1-minute ${formatFixed(load.load1.value, 2)}, 15-minute ${formatFixed(load.load15.value, 2)})`
        : '';
    // Linux load counts tasks blocked on I/O as well as runnable ones: low CPU use with high load means waiting, not computing
    const cpuTotal = cpu.totalPercent.value;
    const cpuBound = cpuTotal !== null && cpuTotal > context.thresholds.cpu.warning;
    const ioBound = cpuTotal !== null && !cpuBound;
    const recommendation = cpuBound
      ? `CPU was ${formatPercent(cpuTotal)} busy as well, so runnable tasks are queueing for the ${cpu.cores} cores: ` +
        'see the host-cpu-utilisation finding for the processes to look at, then add cores or move work off this host.'
      : ioBound
        ? `CPU was only ${formatPercent(cpuTotal)} busy during the sample, so most of the load is tasks blocked in uninterruptible ` +
          'sleep (usually disk or NFS I/O): list them with `ps -eo state,pid,comm | awk \'$1=="D"\'` and check `iostat -x 1` for a slow device.'
        : 'Check whether tasks wait for CPU (`vmstat 1`, column r above the core count) or for I/O ' +
          '(column b, and `ps -eo state,pid,comm | awk \'$1=="D"\'`), then relieve that resource.';

    context.report({
      severity: crossed.severity,
      subject: 'host:load',
      title: 'Load average above the core count',
      message:
        `5-minute load average was ${formatFixed(load5, 2)} on ${cpu.cores} cores, ${formatFixed(perCore, 2)} per core${trend}: ` +
        'more tasks wanted to run or were blocked than the cores could serve.',
      evidence: { metric: 'system.load.load5PerCore', value: round(perCore, 2), unit: 'load/core', threshold: crossed.threshold },
      recommendation,
    });
  },
});
