import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatMs } from '../lib/api-levels.js';
import { round } from '../levels.js';

export const rule = defineRule({
  id: 'api-login-hashing',
  component: 'api',
  category: 'api',
  description: 'Whether password hashing (bcrypt, timed locally at cost 10-14) dominates the login, and which cost factor the login is consistent with.',
  requires: ['api'],
  check(context) {
    const login = context.data.api.login;
    const bcrypt = login?.bcrypt;
    if (!login || !bcrypt || bcrypt.hashSharePercent === null) return NOT_APPLICABLE;
    const threshold = context.thresholds.loginHashSharePercent.info;
    if (bcrypt.hashSharePercent <= threshold) return;
    const cost = bcrypt.configuredCost ?? bcrypt.consistentCost;
    const costMs = bcrypt.local.find((timing) => timing.cost === cost)?.ms ?? 0;
    const p95 = login.latency.p95Ms ?? 0;
    const slow = p95 > context.thresholds.apiLoginMs.normal;
    const best = login.throughput.reduce((max, level) => Math.max(max, level.loginsPerSecond), 0);
    const saturation = login.throughput.length > 1 ? ` Logins per second by concurrency: ${login.throughput.map((level) => `${level.concurrency}: ${round(level.loginsPerSecond, 1)}`).join(', ')} (at most ${round(best, 1)}/s).` : '';
    context.report({
      severity: slow ? 'warning' : 'info',
      subject: 'api:login',
      title: 'Password hashing dominates the login',
      message:
        `A bcrypt hash at cost ${cost} takes ${formatMs(costMs)} on this host (bcryptjs), about ${Math.round(bcrypt.hashSharePercent)} % of the login p50 ` +
        `of ${formatMs(login.latency.p50Ms ?? 0)} (${bcrypt.basis}).${saturation} Hashing is CPU-bound: each login occupies a core for that long.`,
      evidence: { metric: 'api.login.bcrypt.hashSharePercent', value: round(bcrypt.hashSharePercent, 1), unit: '%', threshold },
      recommendation:
        cost !== null && cost > 10
          ? `Cost ${cost} doubles the hash time ${cost - 10} time(s) over cost 10 (OWASP's minimum for bcrypt): if the login must be faster or serve more logins per second, lower the cost (rehash on the next login) or move to Argon2id with tuned parameters; otherwise size CPU for the logins per second above.`
          : 'The cost is already at the OWASP minimum: scale login capacity with cores (hashing is CPU-bound), run hashing in a worker pool so it does not block other requests, and keep sessions long enough to avoid re-logins.',
    });
  },
});
