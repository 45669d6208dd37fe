import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { apiEvenIfUnreachable } from '../lib/api-levels.js';

const WHAT_TO_DO: Record<string, string> = {
  refused: 'Nothing accepts connections there: start the API (check `ss -ltnp` for the port it listens on) or correct api.baseUrl / --api-url.',
  dns: 'The host name does not resolve: correct api.baseUrl / --api-url, or check the resolver (`getent hosts <host>`).',
  timeout: 'The API accepted no request within api.timeoutSeconds: check that it is not hung (CPU, event loop, a full worker pool) and that no firewall drops the traffic.',
};

export const rule = defineRule({
  id: 'api-unreachable',
  component: 'api',
  category: 'availability',
  description: 'The API configured by api.baseUrl answers at all (no TLS problem: see api-tls-refused).',
  // an API that cannot be reached fails the API phase, whose failed artifact keeps what was learnt: the rule reads it there
  requires: [],
  check(context) {
    const api = apiEvenIfUnreachable(context.artifacts);
    if (!api) return NOT_APPLICABLE;
    if (api.reachable || !api.unreachable || api.unreachable.errorClass === 'tls') return;
    const { errorClass, code, message } = api.unreachable;
    context.report({
      severity: 'critical',
      subject: 'api:instance',
      title: 'API unreachable',
      message: `The API at ${api.origin} could not be reached: ${message}. No endpoint or login was measured.`,
      evidence: { metric: 'api.unreachable.code', value: code, unit: errorClass, threshold: 'an HTTP response' },
      recommendation: WHAT_TO_DO[errorClass] ?? `Check that the API at ${api.origin} is running and reachable from this host (${code}).`,
    });
  },
});
