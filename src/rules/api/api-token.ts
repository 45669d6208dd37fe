import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes } from '../levels.js';

function formatSeconds(seconds: number): string {
  if (seconds >= 86_400) return `${Math.round((seconds / 86_400) * 10) / 10} days`;
  if (seconds >= 3600) return `${Math.round((seconds / 3600) * 10) / 10} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}

export const rule = defineRule({
  id: 'api-token',
  component: 'api',
  category: 'api',
  description: 'The login token, decoded without verification: algorithm "none", no expiry, a long lifetime, a very short one, or an oversized token.',
  requires: ['api'],
  check(context) {
    const login = context.data.api.login;
    const token = login?.token;
    if (!login || !token) return NOT_APPLICABLE;
    if (token.format !== 'jwt') return;
    const base = { category: 'api' as const, subject: 'api:login' };
    if (token.alg !== null && token.alg.toLowerCase() === 'none') {
      context.report({
        ...base,
        severity: 'critical',
        title: 'Login token is unsigned (alg "none")',
        message: `The JWT from ${login.method} ${login.path} declares alg "none": anyone can forge it.`,
        evidence: { metric: 'api.login.token.alg', value: token.alg, unit: 'algorithm', threshold: 'a signing algorithm' },
        recommendation: 'Sign tokens (HS256 with a strong secret, or RS256/EdDSA) and reject "none" in the verifier.',
      });
    }
    if (token.lifetimeSeconds === null) {
      context.report({
        ...base,
        severity: 'warning',
        title: 'Login token never expires',
        message: `The JWT from ${login.method} ${login.path} has no exp claim (claims: ${token.claims.join(', ')}): a leaked token stays valid for ever.`,
        evidence: { metric: 'api.login.token.lifetimeSeconds', value: null, unit: 's', threshold: context.thresholds.tokenLifetimeSeconds.warning },
        recommendation: 'Give access tokens an exp claim (minutes to hours) and renew them with a refresh token or a new login.',
      });
    } else if (token.lifetimeSeconds > context.thresholds.tokenLifetimeSeconds.warning) {
      context.report({
        ...base,
        severity: 'warning',
        title: 'Login token lives long',
        message: `The JWT from ${login.method} ${login.path} is valid for ${formatSeconds(token.lifetimeSeconds)}; a leaked token stays usable that long.`,
        evidence: { metric: 'api.login.token.lifetimeSeconds', value: token.lifetimeSeconds, unit: 's', threshold: context.thresholds.tokenLifetimeSeconds.warning },
        recommendation: 'Shorten the access-token lifetime (e.g. 15-60 min, the JWT lifetime setting of the auth backend) and use refresh tokens for long sessions.',
      });
    } else if (token.lifetimeSeconds < 60) {
      context.report({
        ...base,
        severity: 'info',
        title: 'Login token expires very quickly',
        message: `The JWT from ${login.method} ${login.path} is valid for only ${token.lifetimeSeconds} s: clients must log in (and hash a password) again and again.`,
        evidence: { metric: 'api.login.token.lifetimeSeconds', value: token.lifetimeSeconds, unit: 's', threshold: 60 },
        recommendation: 'Unless this is deliberate, give access tokens minutes of lifetime; each re-login costs a password hash on the server.',
      });
    }
    if (token.sizeBytes > context.thresholds.tokenSizeBytes.info) {
      context.report({
        ...base,
        severity: 'info',
        title: 'Login token is large',
        message: `The token is ${formatBytes(token.sizeBytes)} and travels with every authenticated request (claims: ${token.claims.join(', ')}).`,
        evidence: { metric: 'api.login.token.sizeBytes', value: token.sizeBytes, unit: 'bytes', threshold: context.thresholds.tokenSizeBytes.info },
        recommendation: 'Keep only identifiers in the token (sub, exp, a role) and look the rest up on the server.',
      });
    }
  },
});
