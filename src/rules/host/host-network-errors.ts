import { SEVERITY_RANK } from '../../contracts/finding.js';
import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, formatWindow, levelAbove, round, windowMsOf, type CrossedLevel } from '../levels.js';

interface CrossedCounter {
  kind: 'errorPercent' | 'dropPercent';
  value: number;
  crossed: CrossedLevel;
}

export const rule = defineRule({
  id: 'host-network-errors',
  component: 'system',
  category: 'network',
  description: 'Packets with errors or dropped, as a share of packets, per network interface over the sampling window.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const interfaces = system.network.filter((nic) => nic.errorPercent.value !== null || nic.dropPercent.value !== null);
    if (interfaces.length === 0) return NOT_APPLICABLE;
    for (const nic of interfaces) {
      const crossedCounters: CrossedCounter[] = [];
      for (const kind of ['errorPercent', 'dropPercent'] as const) {
        const value = nic[kind].value;
        if (value === null) continue;
        const crossed = levelAbove(value, context.thresholds.networkErrorPercent);
        if (crossed) crossedCounters.push({ kind, value, crossed });
      }
      // one finding per interface; its evidence is the worse counter
      const worst = crossedCounters.sort(
        (a, b) => SEVERITY_RANK[b.crossed.severity] - SEVERITY_RANK[a.crossed.severity] || b.value - a.value,
      )[0];
      if (!worst) continue;

      const errors = nic.errorPercent.value;
      const drops = nic.dropPercent.value;
      const packets =
        nic.rxPacketsPerSec.value !== null && nic.txPacketsPerSec.value !== null
          ? ` (${formatCount(nic.rxPacketsPerSec.value + nic.txPacketsPerSec.value)} packets/s)`
          : '';
      const counts = [
        errors === null ? null : `${formatPercent(errors)} of packets had errors`,
        drops === null ? null : `${formatPercent(drops)} were dropped`,
      ].filter((part): part is string => part !== null);
      const window = formatWindow(windowMsOf(nic[worst.kind], system));
      const hasErrors = crossedCounters.some((counter) => counter.kind === 'errorPercent');
      const hasDrops = crossedCounters.some((counter) => counter.kind === 'dropPercent');

      context.report({
        severity: worst.crossed.severity,
        subject: `host:net:${nic.iface}`,
        title: `Packet ${hasErrors && hasDrops ? 'errors and drops' : hasErrors ? 'errors' : 'drops'} on ${nic.iface}`,
        message: `On ${nic.iface}, ${counts.join(' and ')} over the ${window} window${packets}.`,
        evidence: {
          metric: `system.network[${nic.iface}].${worst.kind}`,
          value: round(worst.value, 2),
          unit: '%',
          threshold: worst.crossed.threshold,
        },
        recommendation:
          `See which counters grow with \`ip -s link show ${nic.iface}\` and \`ethtool -S ${nic.iface}\`. ` +
          (hasErrors
            ? 'Errors (CRC, frame, carrier) point at the physical link or driver: cable, switch port, duplex or speed mismatch (`ethtool ' +
              nic.iface +
              '`), NIC firmware. '
            : '') +
          (hasDrops
            ? 'Drops mean packets arrived faster than the host took them: enlarge the RX ring (`ethtool -g/-G ' +
              nic.iface +
              '`) and net.core.netdev_max_backlog, and check for a core saturated by softirq (`mpstat -P ALL 1`, %soft); ' +
              'on a veth or bridge of a container, look at the container\'s own CPU limits. '
            : '') +
          'Lost packets turn into TCP retransmits and latency spikes for every client of the stack.',
      });
    }
  },
});
