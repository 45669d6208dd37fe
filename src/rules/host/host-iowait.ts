import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import type { DiskIoMetrics } from '../../contracts/system.js';
import { formatPercent, formatWindow, levelAbove, round, windowMsOf } from '../levels.js';

/** The device with the highest utilisation over the window, the likeliest cause of the wait. */
function busiestDevice(devices: readonly DiskIoMetrics[]): DiskIoMetrics | null {
  let busiest: DiskIoMetrics | null = null;
  for (const device of devices) {
    const utilisation = device.utilisationPercent.value;
    if (utilisation === null) continue;
    if (busiest === null || utilisation > (busiest.utilisationPercent.value as number)) busiest = device;
  }
  return busiest;
}

export const rule = defineRule({
  id: 'host-iowait',
  component: 'system',
  category: 'disk',
  description: 'Share of CPU time spent idle waiting on disk I/O over the sampling window.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const iowait = system.cpu.iowaitPercent.value;
    if (iowait === null) return NOT_APPLICABLE;

    const crossed = levelAbove(iowait, context.thresholds.iowait);
    if (!crossed) return;

    const device = busiestDevice(system.diskIo);
    const deviceSeen =
      device === null
        ? ''
        : ` Busiest block device: ${device.device} (${formatPercent(device.utilisationPercent.value as number)} utilised` +
          (device.awaitMs.value === null ? '' : `, ${round(device.awaitMs.value, 1)} ms per I/O`) +
          ').';
    context.report({
      severity: crossed.severity,
      subject: 'host:cpu',
      title: 'CPU time lost waiting on disk I/O',
      message:
        `CPUs spent ${formatPercent(iowait)} of the ${formatWindow(windowMsOf(system.cpu.iowaitPercent, system))} window ` +
        `idle with disk I/O outstanding (iowait).` +
        deviceSeen,
      evidence: { metric: 'system.cpu.iowaitPercent', value: round(iowait, 1), unit: '%', threshold: crossed.threshold },
      recommendation:
        `Storage is slowing the host down${device ? `; look at ${device.device} first` : ''}. ` +
        `Find who does the I/O with \`iotop -o\` or \`pidstat -d 1\`, and the device's latency and queue with \`iostat -x 1\`. ` +
        'Typical causes: a database flushing or vacuuming, swapping (see the swap findings), verbose logging, backups. ' +
        'Move heavy writers to another device, or use faster storage (SSD, a higher IOPS tier on a cloud volume).',
    });
  },
});
