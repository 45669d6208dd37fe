import type { Rule } from '../contracts/rule.js';
import { apiMetricsOf } from './api-levels.js';

export const rule: Rule = {
  id: 'api-session-reuse',
  component: 'api',
  category: 'api',
  description: 'The same login token sent twice to the authenticated endpoint is accepted both times.',
  evaluate(context) {
    const login = apiMetricsOf(context)?.login;
    const reuse = login?.sessionReuse;
    if (!login || !reuse) return null;
    if (reuse.accepted) return [];
    return [
      {
        ruleId: rule.id,
        severity: 'warning',
        category: 'api',
        subject: 'api:login',
        title: 'Token not accepted on reuse',
        message: `The same token sent twice to ${login.authenticatedEndpoint} got statuses ${reuse.statuses.join(' then ')}: sessions do not survive a second request.`,
        evidence: { metric: 'api.login.sessionReuse.statuses', value: reuse.statuses.join(','), unit: 'status', threshold: 'accepted twice' },
        recommendation: 'Check the session store (e.g. the Redis session key written at login and its TTL) and that the token is not single-use by mistake.',
      },
    ];
  },
};
