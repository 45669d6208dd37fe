import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { describeProcess, formatCount, formatWindow, levelAbove, topProcesses, windowMsOf } from '../levels.js';

export const rule = defineRule({
  id: 'host-oom-kills',
  component: 'system',
  category: 'memory',
  description: 'Processes killed by the kernel OOM killer during the sampling window.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const kills = system.oomKillsDuringWindow.value;
    if (kills === null) return NOT_APPLICABLE;

    const crossed = levelAbove(kills, context.thresholds.oomKills);
    if (!crossed) return;

    const heaviest = topProcesses(system.topProcessesByMemory, 'memory', 1)[0];
    const window = formatWindow(windowMsOf(system.oomKillsDuringWindow, system));
    context.report({
      severity: crossed.severity,
      subject: 'host:oom',
      title: 'Out-of-memory kills',
      message: `The kernel OOM killer killed ${formatCount(kills)} process${kills === 1 ? '' : 'es'} during the ${window} window.`,
      evidence: { metric: 'system.oomKillsDuringWindow', value: Math.round(kills), unit: 'kills', threshold: crossed.threshold },
      recommendation:
        'Find out what was killed and why: `journalctl -k | grep -iE "killed process|oom-kill"` (or `dmesg -T | grep -i oom`) ' +
        'names the victim, its memory and whether a cgroup (container) limit or the whole host ran out. ' +
        (heaviest ? `The largest process now is ${describeProcess(heaviest, 'memory')}. ` : '') +
        'For a container limit, raise --memory or fix the growth inside it; for the host, cap the largest consumers or add RAM. ' +
        'A killed database or API worker loses requests: check the service logs for restarts in the same period.',
    });
  },
});
