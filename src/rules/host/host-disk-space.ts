import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { ALWAYS_FULL_FILESYSTEMS, formatBytes, formatPercent, levelAbove, mountHolds, round, shellArg } from '../levels.js';

/** Concrete places to look on this mount, most likely first. */
function whereToLook(mount: string): string {
  const steps = [`\`du -xh --max-depth=1 ${shellArg(mount)} | sort -h | tail -20\` shows which directories hold the space`];
  if (mountHolds(mount, '/var/lib/docker')) {
    steps.push('`docker system df` shows images, stopped containers, volumes and build cache (`docker system prune` frees the unused ones)');
  }
  if (mountHolds(mount, '/var/log')) {
    steps.push('`journalctl --disk-usage` and /var/log show logs to rotate or cap (logrotate, SystemMaxUse=, the Docker log driver max-size)');
  }
  steps.push('deleted files still held open by a process keep their space: `lsof -nP +L1`');
  return steps.join('; ');
}

export const rule = defineRule({
  id: 'host-disk-space',
  component: 'system',
  category: 'disk',
  description: 'Share of each filesystem\'s space in use, against the disk thresholds.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const mounts = system.mounts.filter((mount) => !ALWAYS_FULL_FILESYSTEMS.has(mount.fsType) && mount.usedPercent.value !== null);
    if (mounts.length === 0) return NOT_APPLICABLE;
    for (const mount of mounts) {
      const usedPercent = mount.usedPercent.value as number;
      const crossed = levelAbove(usedPercent, context.thresholds.disk);
      if (!crossed) continue;
      const size = mount.sizeBytes.value;
      const used = mount.usedBytes.value;
      const amounts =
        size !== null && used !== null ? ` (${formatBytes(used)} of ${formatBytes(size)} used, ${formatBytes(Math.max(size - used, 0))} free)` : '';
      context.report({
        severity: crossed.severity,
        subject: `host:disk:${mount.mount}`,
        title: crossed.severity === 'critical' ? `Disk ${mount.mount} almost full` : `Disk ${mount.mount} filling up`,
        message: `Disk ${mount.mount} is ${formatPercent(usedPercent)} full${amounts}; ${mount.device}, ${mount.fsType}.`,
        evidence: {
          metric: `system.mounts[${mount.mount}].usedPercent`,
          value: round(usedPercent, 1),
          unit: '%',
          threshold: crossed.threshold,
        },
        recommendation:
          `Free space on ${mount.mount} before writes start failing (databases stop, logs are lost): ${whereToLook(mount.mount)}. ` +
          `If the data is legitimately growing, grow the volume behind ${mount.device}.`,
      });
    }
  },
});
