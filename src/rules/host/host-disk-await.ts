import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { describeDeviceTraffic, formatPercent, formatWindow, levelAbove, round, windowMsOf } from '../levels.js';

export const rule = defineRule({
  id: 'host-disk-await',
  component: 'system',
  category: 'disk',
  description: 'Average time per completed I/O (queue + service) of each block device over the sampling window.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const devices = system.diskIo.filter((device) => device.awaitMs.value !== null);
    if (devices.length === 0) return NOT_APPLICABLE;
    for (const device of devices) {
      const awaitMs = device.awaitMs.value as number;
      const crossed = levelAbove(awaitMs, context.thresholds.diskAwaitMs);
      if (!crossed) continue;
      const traffic = describeDeviceTraffic(device);
      const utilisation = device.utilisationPercent.value;
      const details = [traffic, utilisation === null ? '' : `${formatPercent(utilisation)} utilised`].filter((part) => part !== '').join('; ');
      context.report({
        severity: crossed.severity,
        subject: `host:blockdev:${device.device}`,
        title: `Slow I/O on ${device.device}`,
        message:
          `I/O on ${device.device} took ${round(awaitMs, 1)} ms on average (queue + service) over the ` +
          `${formatWindow(windowMsOf(device.awaitMs, system))} window` +
          (details === '' ? '.' : ` (${details}).`),
        evidence: {
          metric: `system.diskIo[${device.device}].awaitMs`,
          value: round(awaitMs, 1),
          unit: 'ms',
          threshold: crossed.threshold,
        },
        recommendation:
          `Watch ${device.device} with \`iostat -x 1 ${device.device}\`: a large aqu-sz means requests queue (too much load for the device), ` +
          'a high r_await/w_await with a short queue means the device itself is slow (a rotating disk, a throttled cloud volume, a failing drive: check `smartctl -a`). ' +
          'Find the processes behind the traffic with `iotop -o` or `pidstat -d 1`. ' +
          'On a cloud volume compare the IOPS and throughput with its provisioned limits and burst credits; move write-heavy data (database WAL, logs) to faster storage.',
      });
    }
  },
});
