import { defineRule, NOT_APPLICABLE, type FindingReport } from '../../contracts/rule.js';
import { INSTANCE, describeNode } from '../lib/redis-common.js';
import { formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'redis-availability',
  component: 'cache',
  category: 'availability',
  description: 'Redis configured but unreachable, refusing the password, or failing PINGs during the window.',
  // the rule is about a server that could not be reached or read: it reads the artifact whatever its status
  requires: [],
  check(context) {
    const artifact = context.artifacts.redis;
    if (!artifact?.data) return NOT_APPLICABLE;
    const redis = artifact.data;
    if (!redis.reachable || redis.server === null) {
      const error = redis.error ?? 'no reply';
      const full = /max number of clients/i.test(error);
      const auth = redis.access.reachable && !redis.access.authenticated;
      // logged in, but the ACL user may not run INFO (NOPERM): nothing can be measured, and it is not an outage
      const noInfo = !full && !auth && redis.access.reachable && redis.access.commands.info === false;
      if (noInfo) {
        context.report(noInfoFinding(redis.target, error));
        return;
      }
      context.report({
        // spec alert levels: "cache unavailable" is a warning; a server refusing connections for lack of slots is the
        // Redis row's "rejected connections" (critical)
        severity: full ? 'critical' : 'warning',
        subject: INSTANCE,
        title: full ? 'Redis refuses connections: maxclients reached' : auth ? 'Redis refused the credentials' : 'Redis unreachable',
        message: `${redis.target} could not be analysed: ${error}.`,
        evidence: { metric: 'redis.reachable', value: auth ? 'authentication failed' : 'unreachable', unit: '', threshold: 'reachable and authenticated' },
        recommendation: full
          ? `Every connection slot of ${redis.target} is taken: look at CLIENT LIST for idle or leaked connections (connection pools sized above need), then raise maxclients (CONFIG SET maxclients) or the file-descriptor limit of redis-server.`
          : auth
            ? `Give perf-analyze the password (and user, for an ACL user) the application uses, in the URL of --redis-url / REDIS_URL / redis.url (redis://user:PASSWORD@host:port/db). If the application itself fails to authenticate, check requirepass / ACL SETUSER on the server.`
            : `Check that redis-server is running and listening where the URL says (redis-cli -u <url> PING), that a firewall or bind setting does not block it, and, for rediss://, that the server speaks TLS. Applications depending on this cache are degraded or down while it is unreachable.`,
      });
      return;
    }
    const latency = redis.latency;
    if (!latency || latency.pingSamples === 0) return;
    const failurePercent = (latency.pingFailures / latency.pingSamples) * 100;
    const crossed = levelAbove(failurePercent, context.thresholds.redisPingFailurePercent);
    if (!crossed) return;
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Redis PINGs failing',
      message: `${latency.pingFailures} of ${latency.pingSamples} PINGs to ${describeNode(redis)} failed or timed out during the window (${formatPercent(failurePercent)}).`,
      evidence: { metric: 'redis.latency.pingFailures', value: round(failurePercent, 1), unit: '%', threshold: crossed.threshold },
      recommendation: `Look for what stalls ${redis.server.node}: long-running commands in SLOWLOG GET, forks for persistence (latest_fork_usec), swapping on the host, or network drops between this host and the server.`,
    });
  },
});

function aclUserOf(target: string): string {
  try {
    return decodeURIComponent(new URL(target).username) || 'default';
  } catch {
    return '<user>';
  }
}

function noInfoFinding(target: string, error: string): FindingReport {
  const user = aclUserOf(target);
  return {
    severity: 'warning',
    subject: INSTANCE,
    title: 'Redis user may not run INFO',
    message: `${target} could not be analysed: the server accepted the login but refused INFO (${error}); no Redis check could run.`,
    evidence: { metric: 'redis.access.commands.info', value: 'false', unit: '', threshold: 'allowed' },
    recommendation:
      `Allow the monitoring user to read the server's statistics: \`ACL SETUSER ${user} +info +ping +slowlog|get +slowlog|len +memory|usage +memory|doctor +config|get +scan +client|setname\` ` +
      '(read-only commands), or put a user that has them in --redis-url.',
  };
}
