import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { endpointSubject, measuredEndpoints } from '../lib/api-levels.js';
import { formatBytes } from '../levels.js';

export const rule = defineRule({
  id: 'api-body-cap',
  component: 'api',
  category: 'api',
  description: 'Responses larger than api.maxBodyBytes (cut off, so their download time is a lower bound).',
  requires: ['api'],
  check(context) {
    const endpoints = measuredEndpoints(context.data.api);
    if (endpoints === null) return NOT_APPLICABLE;
    for (const endpoint of endpoints) {
      if (endpoint.bodyCapHits === 0) continue;
      const name = `${endpoint.method} ${endpoint.path}`;
      context.report({
        severity: 'warning',
        subject: endpointSubject(endpoint),
        title: `${name} returns a huge body`,
        message:
          `${endpoint.bodyCapHits} of ${endpoint.requests} responses of ${name} were larger than the cap of ${formatBytes(endpoint.maxBodyBytes)} ` +
          'and were cut off there: the measured download time is a lower bound.',
        evidence: { metric: `api.endpoints[${endpoint.name}].bodyCapHits`, value: endpoint.bodyCapHits, unit: 'responses', threshold: endpoint.maxBodyBytes },
        recommendation: `Paginate or trim the response of ${name} (and compress it); if this size is intended, raise api.maxBodyBytes to measure it whole.`,
      });
    }
  },
});
