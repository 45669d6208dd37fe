import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { ALWAYS_FULL_FILESYSTEMS, formatPercent, levelAbove, round, shellArg } from '../levels.js';

export const rule = defineRule({
  id: 'host-disk-inodes',
  component: 'system',
  category: 'disk',
  description: 'Share of each filesystem\'s inodes in use (running out blocks new files even with free space).',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    // filesystems without an inode limit (btrfs, some network filesystems) report null
    const mounts = system.mounts.filter((mount) => !ALWAYS_FULL_FILESYSTEMS.has(mount.fsType) && mount.inodesUsedPercent.value !== null);
    if (mounts.length === 0) return NOT_APPLICABLE;
    for (const mount of mounts) {
      const inodesUsed = mount.inodesUsedPercent.value as number;
      const crossed = levelAbove(inodesUsed, context.thresholds.inodes);
      if (!crossed) continue;
      const spaceUsed = mount.usedPercent.value;
      context.report({
        severity: crossed.severity,
        subject: `host:inodes:${mount.mount}`,
        title: `Inodes on ${mount.mount} running out`,
        message:
          `${formatPercent(inodesUsed)} of the inodes on ${mount.mount} are in use` +
          (spaceUsed === null ? '' : ` while its space is ${formatPercent(spaceUsed)} used`) +
          `; ${mount.device}, ${mount.fsType}.`,
        evidence: {
          metric: `system.mounts[${mount.mount}].inodesUsedPercent`,
          value: round(inodesUsed, 1),
          unit: '%',
          threshold: crossed.threshold,
        },
        recommendation:
          `Many small files fill ${mount.mount}: \`du --inodes -x --max-depth=2 ${shellArg(mount.mount)} | sort -n | tail -20\` shows which directories hold them. ` +
          'Usual suspects: session or cache files, mail or job queues, unpruned Docker layers, build artefacts. ' +
          'Delete or archive them and add a cleanup job; the inode count of ext4 is fixed at mkfs time, so a lasting need means a new filesystem (mkfs -i) or XFS.',
      });
    }
  },
});
