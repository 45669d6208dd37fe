import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';

export const rule = defineRule({
  id: 'api-login-token-missing',
  component: 'api',
  category: 'api',
  description: 'The login answered but gave no token at api.login.tokenPath: the authenticated endpoints could not be measured.',
  requires: ['api'],
  check(context) {
    const api = context.data.api;
    const login = api.login;
    if (!login || login.requests === 0) return NOT_APPLICABLE;
    if (login.tokenFound || login.tokenProblem === null) return;
    const skipped = api.endpoints.filter((endpoint) => endpoint.skipped !== null).map((endpoint) => endpoint.name);
    context.report({
      severity: 'critical',
      subject: 'api:login',
      title: 'Login gave no token',
      message:
        `${login.requests} logins to ${login.method} ${login.path} gave no usable token: ${login.tokenProblem}.` +
        (skipped.length > 0 ? ` Not timed for want of a token: ${skipped.join(', ')}.` : ''),
      evidence: { metric: 'api.login.tokenFound', value: 'false', unit: 'boolean', threshold: 'true' },
      recommendation:
        `Check the credentials (the \${VAR}s in api.login.body) and the login's response: if the token is elsewhere, set api.login.tokenPath ` +
        `(now "${login.tokenPath}") to its dotted path; if the login answers 2xx without a token, fix the login handler.`,
    });
  },
});
