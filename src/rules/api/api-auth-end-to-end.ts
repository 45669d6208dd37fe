import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatMs } from '../lib/api-levels.js';

export const rule = defineRule({
  id: 'api-auth-end-to-end',
  component: 'api',
  category: 'api',
  description: 'Login plus the first authenticated request (p95) against the KPI "authentication end to end < 300 ms".',
  requires: ['api'],
  check(context) {
    const login = context.data.api.login;
    if (!login) return NOT_APPLICABLE;
    const flow = login.authEndToEnd;
    // without an authenticated endpoint the login alone is a lower bound of the flow
    const p95 = flow?.p95Ms ?? login.latency.p95Ms;
    if (p95 === null) return NOT_APPLICABLE;
    const threshold = context.thresholds.authEndToEndMs.warning;
    if (p95 <= threshold) return;
    const what = flow ? `login plus the first request to ${login.authenticatedEndpoint}` : `the login alone (no authenticated endpoint configured)`;
    const hashing = login.bcrypt?.hashSharePercent;
    context.report({
      severity: 'warning',
      subject: 'api:login',
      title: 'Authentication slower than the 300 ms KPI',
      message:
        `Authentication end to end (${what}) took p95 ${formatMs(p95)} over ${(flow ?? login.latency).samples} runs; the KPI is under ${formatMs(threshold)}. ` +
        `The login alone: p50 ${formatMs(login.latency.p50Ms ?? 0)}, p95 ${formatMs(login.latency.p95Ms ?? 0)}.`,
      evidence: { metric: flow ? 'api.login.authEndToEnd.p95Ms' : 'api.login.latency.p95Ms', value: p95, unit: 'ms', threshold },
      recommendation:
        hashing != null && hashing > 50
          ? `Password hashing is about ${Math.round(hashing)} % of the login (${login.bcrypt?.basis}): lower the bcrypt cost to the OWASP minimum of 10, hash off the request thread, or issue longer-lived sessions so fewer logins are needed.`
          : `Profile ${login.method} ${login.path}: the user lookup (index on the login column), the session write to Redis, and token signing.`,
    });
  },
});
