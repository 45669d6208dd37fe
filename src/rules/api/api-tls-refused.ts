import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { apiEvenIfUnreachable } from '../lib/api-levels.js';

export const rule = defineRule({
  id: 'api-tls-refused',
  component: 'api',
  category: 'availability',
  description: 'The API\'s TLS certificate is accepted (verified unless api.insecure).',
  // an API that cannot be reached fails the API phase, whose failed artifact keeps what was learnt: the rule reads it there
  requires: [],
  check(context) {
    const api = apiEvenIfUnreachable(context.artifacts);
    if (!api) return NOT_APPLICABLE;
    const failure = api.unreachable?.errorClass === 'tls' ? api.unreachable : null;
    if (!failure) return;
    const selfSigned = /SELF_SIGNED/.test(failure.code);
    context.report({
      severity: 'critical',
      subject: 'api:instance',
      title: 'API TLS certificate refused',
      message: `The TLS handshake with ${api.origin} failed certificate verification (${failure.code}); nothing was measured. Clients that verify certificates cannot use this API either.`,
      evidence: { metric: 'api.unreachable.code', value: failure.code, unit: 'tls', threshold: 'a verified certificate' },
      recommendation: selfSigned
        ? `${api.origin} presents a self-signed certificate: install one from a trusted CA (e.g. Let's Encrypt), or, for a test stack only, set api.insecure: true to measure it anyway.`
        : `Fix the certificate of ${api.origin} (\`openssl s_client -connect <host>:<port> -servername <host>\` shows the chain and the error); api.insecure: true skips verification for a test stack only.`,
    });
  },
});
