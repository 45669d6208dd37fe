import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatCount, formatFixed, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'redis-server-latency',
  component: 'cache',
  category: 'cache',
  description: 'Average server-side time per call of the application\'s commands during the window (INFO commandstats deltas).',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const latency = redis?.latency;
    const average = latency?.serverAvgUsecPerCall.value;
    if (!redis || !latency || average === null || average === undefined) return NOT_APPLICABLE;
    const crossed = levelAbove(average, context.thresholds.redisServerLatencyUsec);
    if (!crossed) return;
    const top = latency.topCommandsByTime
      .filter((command) => command.calls > 0)
      .slice(0, 3)
      .map((command) => `${command.command.toUpperCase()} ${formatFixed(command.usecPerCall, 1)} µs/call over ${formatCount(command.calls)} calls (${formatFixed(command.timeSharePercent, 1)} % of server time)`);
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Redis commands slow on the server',
      message:
        `The application's commands took ${formatFixed(average / 1000, 2)} ms per call on average inside ${describeNode(redis)} during the window ` +
        `(${formatCount(latency.serverCallsCounted)} calls). Top commands by time since start: ${top.join('; ') || 'none'}.`,
      evidence: { metric: 'redis.latency.serverAvgUsecPerCall', value: round(average, 1), unit: 'µs', threshold: crossed.threshold },
      recommendation:
        'Server time per call grows with the size of what a command touches: look at the top commands above, SLOWLOG GET for the slowest calls, ' +
        'and metrics.redis.keySample.largestKeys for collections read whole (HGETALL, SMEMBERS, LRANGE 0 -1); page or split them.',
    });
  },
});
