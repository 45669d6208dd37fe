import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { endpointSubject, measuredEndpoints } from '../lib/api-levels.js';

export const rule = defineRule({
  id: 'api-unexpected-status',
  component: 'api',
  category: 'api',
  description: 'Endpoints answering a status other than the expected one (not 5xx, which api-error-rate counts; not a redirect loop).',
  requires: ['api'],
  check(context) {
    const endpoints = measuredEndpoints(context.data.api);
    if (endpoints === null) return NOT_APPLICABLE;
    const defaults = context.data.api.defaultEndpoints === true;
    for (const endpoint of endpoints) {
      if (endpoint.redirect?.loop) continue;
      const expected = new Set(endpoint.expectedStatus);
      const wrong = Object.entries(endpoint.statusCodes).filter(([code]) => !expected.has(Number(code)) && Number(code) < 500);
      const count = wrong.reduce((sum, [, n]) => sum + n, 0);
      if (count === 0) continue;
      const name = `${endpoint.method} ${endpoint.path}`;
      const statuses = wrong.map(([code, n]) => `${n} x ${code}`).join(', ');
      const first = Number(wrong[0]![0]);
      const hint =
        first === 401 || first === 403
          ? `the request is not authorised: check api.login and that the endpoint has auth: true`
          : first === 404
            ? `the path does not exist on this API: correct it under api.endpoints${defaults ? ' (GET /health was the default because api.endpoints is empty)' : ''}`
            : first >= 300 && first < 400
              ? `it redirects${endpoint.redirect?.hops[0] ? ` to ${endpoint.redirect.hops[0].location}` : ''}: configure the final URL, or add the status to expectedStatus`
              : 'check the request (method, body, headers) or set expectedStatus to what the endpoint should answer';
      context.report({
        severity: count === endpoint.requests ? 'warning' : 'info',
        subject: endpointSubject(endpoint),
        title: `${name} answered an unexpected status`,
        message: `${count} of ${endpoint.requests} requests to ${name} answered ${statuses}; expected ${endpoint.expectedStatus.join(' or ')}.`,
        evidence: { metric: `api.endpoints[${endpoint.name}].unexpectedStatus`, value: count, unit: 'requests', threshold: 0 },
        recommendation: `For ${name}: ${hint}.`,
      });
    }
  },
});
