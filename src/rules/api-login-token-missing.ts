import type { Rule } from '../contracts/rule.js';
import { apiMetricsOf } from './api-levels.js';

export const rule: Rule = {
  id: 'api-login-token-missing',
  component: 'api',
  category: 'api',
  description: 'The login answered but gave no token at api.login.tokenPath: the authenticated endpoints could not be measured.',
  evaluate(context) {
    const api = apiMetricsOf(context);
    const login = api?.login;
    if (!api || !login || login.requests === 0) return null;
    if (login.tokenFound || login.tokenProblem === null) return [];
    const skipped = api.endpoints.filter((endpoint) => endpoint.skipped !== null).map((endpoint) => endpoint.name);
    return [
      {
        ruleId: rule.id,
        severity: 'critical',
        category: 'api',
        subject: 'api:login',
        title: 'Login gave no token',
        message:
          `${login.requests} logins to ${login.method} ${login.path} gave no usable token: ${login.tokenProblem}.` +
          (skipped.length > 0 ? ` Not timed for want of a token: ${skipped.join(', ')}.` : ''),
        evidence: { metric: 'api.login.tokenFound', value: 'false', unit: 'boolean', threshold: 'true' },
        recommendation:
          `Check the credentials (the \${VAR}s in api.login.body) and the login's response: if the token is elsewhere, set api.login.tokenPath ` +
          `(now "${login.tokenPath}") to its dotted path; if the login answers 2xx without a token, fix the login handler.`,
      },
    ];
  },
};
