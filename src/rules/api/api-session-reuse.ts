import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';

export const rule = defineRule({
  id: 'api-session-reuse',
  component: 'api',
  category: 'api',
  description: 'The same login token sent twice to the authenticated endpoint is accepted both times.',
  requires: ['api'],
  check(context) {
    const login = context.data.api.login;
    const reuse = login?.sessionReuse;
    if (!login || !reuse) return NOT_APPLICABLE;
    if (reuse.accepted) return;
    context.report({
      severity: 'warning',
      subject: 'api:login',
      title: 'Token not accepted on reuse',
      message: `The same token sent twice to ${login.authenticatedEndpoint} got statuses ${reuse.statuses.join(' then ')}: sessions do not survive a second request.`,
      evidence: { metric: 'api.login.sessionReuse.statuses', value: reuse.statuses.join(','), unit: 'status', threshold: 'accepted twice' },
      recommendation: 'Check the session store (e.g. the Redis session key written at login and its TTL) and that the token is not single-use by mistake.',
    });
  },
});
