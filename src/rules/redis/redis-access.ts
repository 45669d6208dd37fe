import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE } from '../lib/redis-common.js';
import { joinList } from '../levels.js';

/** What each command class lets the profiler see. */
const SEES: Record<string, string> = {
  slowlog: 'slow commands (SLOWLOG)',
  memory: 'MEMORY DOCTOR and key memory (MEMORY USAGE)',
  config: 'the slowlog threshold (CONFIG GET)',
  scan: 'big keys and TTL share (SCAN)',
};

export const rule = defineRule({
  id: 'redis-access',
  component: 'cache',
  category: 'cache',
  description: 'Commands the profiler\'s Redis user may not run, and the checks that were therefore not made.',
  requires: ['redis'],
  check(context) {
    const redis = context.data.redis;
    // a server that was not reached is redis-availability's finding
    if (!redis.reachable || redis.server === null) return NOT_APPLICABLE;
    const denied = Object.entries(redis.access.commands).filter(([, allowed]) => !allowed).map(([name]) => name);
    if (denied.length === 0) return;
    context.report({
      severity: 'info',
      subject: INSTANCE,
      title: 'Some Redis checks not visible',
      message: `The Redis user may not run ${joinList(denied.map((name) => name.toUpperCase()))}: not measured: ${joinList(denied.map((name) => SEES[name] ?? name))}.`,
      evidence: { metric: 'redis.access.commands', value: denied.join(','), unit: '', threshold: 'allowed' },
      recommendation:
        `Give the monitoring user read-only access to these commands, e.g. \`ACL SETUSER perf on >PASSWORD ~* +@read +info +ping +slowlog|get +slowlog|len +memory|usage +memory|doctor +config|get +scan +client|setname\`, ` +
        'and put that user in --redis-url (redis://perf:PASSWORD@host:port).',
    });
  },
});
