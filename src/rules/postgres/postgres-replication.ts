import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes } from '../levels.js';
import { serversOf } from '../lib/postgres-common.js';

/** PgHero's replication-slot check: an inactive slot retains WAL without limit until the disk fills. Warning. */
export const rule = defineRule({
  id: 'postgres-replication',
  component: 'database',
  category: 'database',
  description: 'Inactive replication slots (they keep WAL forever); replica lag is reported in the metrics.',
  requires: ['postgres'],
  check(context) {
    const servers = serversOf(context.data.postgres);
    if (!servers) return NOT_APPLICABLE;
    for (const server of servers) {
      for (const slot of server.replication.slots) {
        if (slot.active) continue;
        context.report({
          severity: 'warning',
          subject: `postgres:slot:${slot.name}`,
          title: `Inactive replication slot ${slot.name}`,
          message:
            `Replication slot ${slot.name} (${slot.type}) on ${server.server} has no consumer connected` +
            (slot.retainedBytes !== null ? ` and holds back ${formatBytes(slot.retainedBytes)} of WAL.` : '.'),
          evidence: { metric: `postgres.servers[${server.server}].replication.slots[${slot.name}].active`, value: 'false', unit: '', threshold: 'active' },
          recommendation: `If its consumer is gone for good, drop it: SELECT pg_drop_replication_slot('${slot.name.replaceAll("'", "''")}'); otherwise restart the consumer. Consider max_slot_wal_keep_size as a cap.`,
        });
      }
    }
  },
});
