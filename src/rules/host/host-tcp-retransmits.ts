import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatPercent, formatWindow, joinList, levelAbove, round, windowMsOf } from '../levels.js';

export const rule = defineRule({
  id: 'host-tcp-retransmits',
  component: 'system',
  category: 'network',
  description: 'Retransmitted TCP segments as a share of segments sent over the sampling window.',
  requires: ['system'],
  check(context) {
    const system = context.data.system;
    const { tcp } = system;
    if (tcp === null || tcp.retransmitPercent.value === null) return NOT_APPLICABLE;
    const retransmitPercent = tcp.retransmitPercent.value;

    const crossed = levelAbove(retransmitPercent, context.thresholds.tcpRetransmitPercent);
    if (!crossed) return;

    const rates =
      tcp.retransSegmentsPerSec.value !== null && tcp.outSegmentsPerSec.value !== null
        ? ` (${round(tcp.retransSegmentsPerSec.value, 1)} of ${round(tcp.outSegmentsPerSec.value, 1)} segments/s)`
        : '';
    const lossyInterfaces = system.network
      .filter((nic) => (nic.errorPercent.value ?? 0) > 0 || (nic.dropPercent.value ?? 0) > 0)
      .map((nic) => nic.iface);

    context.report({
      severity: crossed.severity,
      subject: 'host:tcp',
      title: 'TCP retransmissions',
      message:
        `${formatPercent(retransmitPercent)} of TCP segments sent were retransmissions${rates} over the ` +
        `${formatWindow(windowMsOf(tcp.retransmitPercent, system))} window.`,
      evidence: { metric: 'system.tcp.retransmitPercent', value: round(retransmitPercent, 2), unit: '%', threshold: crossed.threshold },
      recommendation:
        'Each retransmission adds at least one round trip, often a 200 ms+ timeout, to a request. ' +
        '`ss -ti` shows the retrans count per connection, so you can tell which peer (database, cache, clients) is affected; ' +
        '`nstat -az | grep -iE "retrans|ListenOverflows|ListenDrops"` tells network loss from a full accept queue on this host. ' +
        (lossyInterfaces.length > 0
          ? `${lossyInterfaces.length === 1 ? 'Interface' : 'Interfaces'} ${joinList(lossyInterfaces)} also counted errors or drops: start there. `
          : 'No local interface counted errors or drops, so look along the path (`mtr <peer>`) or at an overloaded receiver. ') +
        'For a full accept queue, raise the listen backlog (net.core.somaxconn and the server\'s own backlog setting).',
    });
  },
});
