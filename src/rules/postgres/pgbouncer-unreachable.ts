import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';

export const rule = defineRule({
  id: 'pgbouncer-unreachable',
  component: 'database',
  category: 'availability',
  description: "PgBouncer's admin console answers (a configured pooler that is down stops every client).",
  requires: ['pgbouncer'],
  check(context) {
    const artifact = context.artifacts.pgbouncer;
    if (!artifact || artifact.status === 'error' || !artifact.data) return NOT_APPLICABLE;
    const data = artifact.data;
    if (data.reachable && data.error === undefined) return;
    context.report({
      severity: data.reachable ? 'warning' : 'critical',
      subject: 'pgbouncer:instance',
      title: data.reachable ? 'PgBouncer admin console answered partly' : 'PgBouncer unreachable',
      message: `${data.reachable ? 'The admin console' : 'Could not open'} ${data.target}${data.reachable ? ' failed a SHOW command' : ''}: ${data.error ?? 'unknown error'}.`,
      evidence: { metric: 'pgbouncer.reachable', value: String(data.reachable), unit: '', threshold: 'reachable' },
      recommendation:
        `Check that PgBouncer runs and listens at ${data.target} (systemctl status pgbouncer), and that this user is in admin_users or stats_users of pgbouncer.ini.`,
    });
  },
});
