import type { Finding } from '../contracts/finding.js';
import type { Rule } from '../contracts/rule.js';
import { endpointSubject, measuredEndpoints } from './api-levels.js';

export const rule: Rule = {
  id: 'api-redirect-loop',
  component: 'api',
  category: 'availability',
  description: 'Redirect chains that come back to a URL already visited (or exceed 10 hops): clients give up, the endpoint is unusable.',
  evaluate(context) {
    const endpoints = measuredEndpoints(context);
    if (endpoints === null) return null;
    const findings: Finding[] = [];
    for (const endpoint of endpoints) {
      const redirect = endpoint.redirect;
      if (!redirect?.loop) continue;
      const name = `${endpoint.method} ${endpoint.path}`;
      const chain = [endpoint.path, ...redirect.hops.map((hop) => hop.location)].join(' -> ');
      findings.push({
        ruleId: rule.id,
        severity: 'critical',
        category: 'availability',
        subject: endpointSubject(endpoint),
        title: `Redirect loop at ${name}`,
        message: `${name} redirects in a loop after ${redirect.hops.length} hops: ${chain}. Browsers and HTTP clients stop with "too many redirects".`,
        evidence: { metric: `api.endpoints[${endpoint.name}].redirect.hops`, value: redirect.hops.length, unit: 'hops', threshold: 'no revisited URL' },
        recommendation:
          `Break the loop at ${redirect.hops[0]?.location ?? endpoint.path}: typical causes are a proxy that terminates TLS while the app redirects to https ` +
          '(pass X-Forwarded-Proto and trust it), or a trailing-slash rule in the app and the proxy that undo each other.',
      });
    }
    return findings;
  },
};
