import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { describeDeviceTraffic, formatPercent, formatWindow, levelAbove, round, windowMsOf } from '../levels.js';

export const rule = defineRule({
  id: 'host-disk-utilisation',
  component: 'system',
  category: 'disk',
  description: 'Share of the sampling window each block device had I/O in flight.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const devices = system.diskIo.filter((device) => device.utilisationPercent.value !== null);
    if (devices.length === 0) return NOT_APPLICABLE;
    for (const device of devices) {
      const utilisation = device.utilisationPercent.value as number;
      const crossed = levelAbove(utilisation, context.thresholds.diskUtilisation);
      if (!crossed) continue;
      const traffic = describeDeviceTraffic(device);
      const awaitMs = device.awaitMs.value;
      context.report({
        severity: crossed.severity,
        subject: `host:blockdev:${device.device}`,
        title: `${device.device} busy`,
        message:
          `${device.device} had I/O in flight ${formatPercent(utilisation)} of the ${formatWindow(windowMsOf(device.utilisationPercent, system))} window` +
          (traffic === '' ? '' : ` (${traffic})`) +
          (awaitMs === null ? '.' : `; ${round(awaitMs, 1)} ms per I/O.`),
        evidence: {
          metric: `system.diskIo[${device.device}].utilisationPercent`,
          value: round(utilisation, 1),
          unit: '%',
          threshold: crossed.threshold,
        },
        recommendation:
          `Confirm with \`iostat -x 1 ${device.device}\`: on a single rotating disk %util near 100 means saturation, but SSD, NVMe and RAID ` +
          'devices serve requests in parallel and can show a high %util with room to spare, so judge by await and aqu-sz as well' +
          (awaitMs === null ? '. ' : ` (await here: ${round(awaitMs, 1)} ms). `) +
          'Find the processes behind the traffic with `iotop -o` or `pidstat -d 1` and spread or reduce their I/O ' +
          '(database checkpoints and vacuum, log volume, backups at peak time).',
      });
    }
  },
});
