import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, formatPercent, levelAbove, round } from '../levels.js';
import { INSTANCE_SUBJECT, serversOf } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-checkpoints',
  component: 'database',
  category: 'database',
  description: 'Requested (WAL-triggered) checkpoints as a share of all checkpoints since the stats reset.',
  requires: ['postgres'],
  check(context) {
    const servers = serversOf(context.data.postgres);
    if (!servers) return NOT_APPLICABLE;
    const measured = servers.filter((server) => server.checkpoints?.requestedPercent.value != null);
    if (measured.length === 0) return NOT_APPLICABLE;
    for (const server of measured) {
      const checkpoints = server.checkpoints!;
      const percent = checkpoints.requestedPercent.value as number;
      const crossed = levelAbove(percent, context.thresholds.requestedCheckpointPercent);
      if (!crossed) continue;
      const walSize = server.settings.find((setting) => setting.name === 'max_wal_size')?.value ?? 'max_wal_size';
      context.report({
        severity: crossed.severity,
        subject: INSTANCE_SUBJECT,
        title: 'Checkpoints forced by WAL volume',
        message:
          `${formatPercent(percent)} of the checkpoints on ${server.server} were requested (${formatCount(checkpoints.requested)} requested, ` +
          `${formatCount(checkpoints.timed)} timed): WAL fills max_wal_size (${walSize}) before checkpoint_timeout.`,
        evidence: { metric: `postgres.servers[${server.server}].checkpoints.requestedPercent`, value: round(percent, 1), unit: '%', threshold: crossed.threshold },
        recommendation: `Raise max_wal_size (now ${walSize}; e.g. double it) so that checkpoints come from checkpoint_timeout and spread their writes.`,
      });
    }
  },
});
