import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'host-file-handles',
  component: 'system',
  category: 'system',
  description: 'Share of the kernel-wide file handle limit (fs.file-max) in use.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { allocated, max, usedPercent } = system.fileHandles;
    if (usedPercent.value === null) return NOT_APPLICABLE;

    const crossed = levelAbove(usedPercent.value, context.thresholds.fileHandles);
    if (!crossed) return;

    const counts =
      allocated.value !== null && max.value !== null ? ` (${formatCount(allocated.value)} of ${formatCount(max.value)})` : '';
    context.report({
      severity: crossed.severity,
      subject: 'host:file-handles',
      title: 'File handles running out',
      message: `${formatPercent(usedPercent.value)} of the kernel's file handle limit was in use${counts}.`,
      evidence: { metric: 'system.fileHandles.usedPercent', value: round(usedPercent.value, 1), unit: '%', threshold: crossed.threshold },
      recommendation:
        'When the limit is reached every process fails to open files and sockets ("Too many open files in system"). ' +
        'Find the holders: `for p in /proc/[0-9]*; do echo "$(ls $p/fd 2>/dev/null | wc -l) $p $(cat $p/comm 2>/dev/null)"; done | sort -n | tail`. ' +
        'A count that only grows is a leak (sockets never closed, many in CLOSE_WAIT: `ss -tan state close-wait | wc -l`); ' +
        'fix the leak first, then raise fs.file-max with sysctl if the load really needs more.',
    });
  },
});
