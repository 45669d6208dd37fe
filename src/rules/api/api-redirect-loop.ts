import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { endpointSubject, measuredEndpoints } from '../lib/api-levels.js';

export const rule = defineRule({
  id: 'api-redirect-loop',
  component: 'api',
  category: 'availability',
  description: 'Redirect chains that come back to a URL already visited (or exceed 10 hops): clients give up, the endpoint is unusable.',
  requires: ['api'],
  check(context) {
    const endpoints = measuredEndpoints(context.data.api);
    if (endpoints === null) return NOT_APPLICABLE;
    for (const endpoint of endpoints) {
      const redirect = endpoint.redirect;
      if (!redirect?.loop) continue;
      const name = `${endpoint.method} ${endpoint.path}`;
      const chain = [endpoint.path, ...redirect.hops.map((hop) => hop.location)].join(' -> ');
      context.report({
        severity: 'critical',
        subject: endpointSubject(endpoint),
        title: `Redirect loop at ${name}`,
        message: `${name} redirects in a loop after ${redirect.hops.length} hops: ${chain}. Browsers and HTTP clients stop with "too many redirects".`,
        evidence: { metric: `api.endpoints[${endpoint.name}].redirect.hops`, value: redirect.hops.length, unit: 'hops', threshold: 'no revisited URL' },
        recommendation:
          `Break the loop at ${redirect.hops[0]?.location ?? endpoint.path}: typical causes are a proxy that terminates TLS while the app redirects to https ` +
          '(pass X-Forwarded-Proto and trust it), or a trailing-slash rule in the app and the proxy that undo each other.',
      });
    }
  },
});
