import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { describeErrors, endpointSubject, measuredEndpoints } from '../lib/api-levels.js';
import { levelAbove, round } from '../levels.js';

function statusList(statusCodes: Record<string, number>): string {
  return Object.entries(statusCodes)
    .filter(([code]) => Number(code) >= 500)
    .map(([code, count]) => `${count} x ${code}`)
    .join(', ');
}

export const rule = defineRule({
  id: 'api-error-rate',
  component: 'api',
  category: 'api',
  description: 'Share of requests answered 5xx or not at all, against the success-rate KPI (> 99.9 %).',
  requires: ['api'],
  check(context) {
    const endpoints = measuredEndpoints(context.data.api);
    if (endpoints === null) return NOT_APPLICABLE;
    const targets = endpoints.map((endpoint) => ({
      subject: endpointSubject(endpoint),
      name: `${endpoint.method} ${endpoint.path}`,
      metric: `api.endpoints[${endpoint.name}].errorRatePercent`,
      rate: endpoint.errorRatePercent,
      requests: endpoint.requests,
      errors: endpoint.errors,
      statusCodes: endpoint.statusCodes,
      lastError: endpoint.lastError,
    }));
    const login = context.data.api.login;
    if (login && login.requests > 0) {
      targets.push({
        subject: 'api:login',
        name: `the login (${login.method} ${login.path})`,
        metric: 'api.login.errorRatePercent',
        rate: login.errorRatePercent,
        requests: login.requests,
        errors: login.errors,
        statusCodes: login.statusCodes,
        lastError: login.lastError,
      });
    }
    for (const target of targets) {
      const crossed = levelAbove(target.rate, context.thresholds.apiErrorRatePercent);
      if (!crossed) continue;
      const parts = [statusList(target.statusCodes), describeErrors(target.errors)].filter((part) => part !== '');
      context.report({
        severity: crossed.severity,
        subject: target.subject,
        title: `Errors from ${target.name}`,
        message:
          `${round(target.rate, 2)} % of ${target.requests} requests to ${target.name} failed (${parts.join('; ')}): ` +
          `a success rate of ${round(100 - target.rate, 2)} % against the KPI of more than 99.9 %.` +
          (target.lastError ? ` Last: ${target.lastError}.` : ''),
        evidence: { metric: target.metric, value: round(target.rate, 3), unit: '%', threshold: crossed.threshold },
        recommendation:
          target.errors.timeout !== undefined
            ? `Requests to ${target.name} time out: find what blocks the handler (slow queries, an exhausted connection pool, a stalled event loop) in the server logs at the time of the run.`
            : `Read the server's error log for the failed requests to ${target.name} (the 5xx responses carry the stack traces) and fix the cause; retry-free clients see every one of these.`,
      });
    }
  },
});
