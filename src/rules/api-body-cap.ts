import type { Finding } from '../contracts/finding.js';
import type { Rule } from '../contracts/rule.js';
import { endpointSubject, measuredEndpoints } from './api-levels.js';
import { formatBytes } from './levels.js';

export const rule: Rule = {
  id: 'api-body-cap',
  component: 'api',
  category: 'api',
  description: 'Responses larger than api.maxBodyBytes (cut off, so their download time is a lower bound).',
  evaluate(context) {
    const endpoints = measuredEndpoints(context);
    if (endpoints === null) return null;
    const findings: Finding[] = [];
    for (const endpoint of endpoints) {
      if (endpoint.bodyCapHits === 0) continue;
      const name = `${endpoint.method} ${endpoint.path}`;
      findings.push({
        ruleId: rule.id,
        severity: 'warning',
        category: 'api',
        subject: endpointSubject(endpoint),
        title: `${name} returns a huge body`,
        message:
          `${endpoint.bodyCapHits} of ${endpoint.requests} responses of ${name} were larger than the cap of ${formatBytes(endpoint.maxBodyBytes)} ` +
          'and were cut off there: the measured download time is a lower bound.',
        evidence: { metric: `api.endpoints[${endpoint.name}].bodyCapHits`, value: endpoint.bodyCapHits, unit: 'responses', threshold: endpoint.maxBodyBytes },
        recommendation: `Paginate or trim the response of ${name} (and compress it); if this size is intended, raise api.maxBodyBytes to measure it whole.`,
      });
    }
    return findings;
  },
};
