import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatFixed, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'redis-response-time',
  component: 'cache',
  category: 'cache',
  description: 'PING round-trip p99 from the profiler over the window (spec cache response time and the cache p99 KPI).',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const p99 = redis?.latency?.pingP99Ms.value;
    if (!redis?.latency || p99 === null || p99 === undefined) return NOT_APPLICABLE;
    const crossed = levelAbove(p99, context.thresholds.redisPingP99Ms);
    if (!crossed) return;
    const { latency } = redis;
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Slow Redis round trips',
      message:
        `PING to ${describeNode(redis)} took ${formatFixed(p99, 2)} ms at p99 (p50 ${formatFixed(latency.pingP50Ms.value ?? 0, 2)} ms, ` +
        `max ${formatFixed(latency.pingMaxMs.value ?? 0, 2)} ms, ${latency.pingSamples - latency.pingFailures} samples).`,
      evidence: { metric: 'redis.latency.pingP99Ms', value: round(p99, 2), unit: 'ms', threshold: crossed.threshold },
      recommendation:
        'A PING does no work, so its time is the network plus waiting behind other commands: check SLOWLOG GET for blocking commands (KEYS, big DEL, Lua), ' +
        '`redis-cli --latency-history` from the application host, LATENCY DOCTOR after `CONFIG SET latency-monitor-threshold 10`, and the host\'s CPU steal and swap.',
    });
  },
});
