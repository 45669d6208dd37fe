import type { Finding } from '../contracts/finding.js';
import type { Rule } from '../contracts/rule.js';
import { INSTANCE, describeNode, redisMetricsOf } from './redis-common.js';
import { formatCount, formatWindow, levelAbove } from './levels.js';

export const rule: Rule = {
  id: 'redis-rejected-connections',
  component: 'cache',
  category: 'cache',
  description: 'Connections rejected (maxclients reached) during the window; since start as info.',
  evaluate(context) {
    const redis = redisMetricsOf(context);
    const stats = redis?.stats;
    const during = stats?.rejectedConnectionsDuringWindow.value;
    if (!redis || !stats || during === null || during === undefined) return null;
    const max = redis.clients?.max.value;
    const advice =
      `Clients beyond maxclients${max ? ` (${formatCount(max)})` : ''} get "ERR max number of clients reached": find who holds the connections ` +
      '(`redis-cli CLIENT LIST` grouped by addr/name: oversized pools, leaked connections, idle clients: set `timeout`), then raise maxclients ' +
      '(CONFIG SET maxclients; redis-server also needs the file-descriptor limit for it).';
    const crossed = levelAbove(during, context.thresholds.redisRejectedConnections);
    const sinceStart = stats.rejectedConnectionsSinceStart.value ?? 0;
    const finding = (severity: Finding['severity'], message: string, value: number, metric: string, threshold: number): Finding => ({
      ruleId: rule.id,
      severity,
      category: 'cache',
      subject: INSTANCE,
      title: 'Redis rejecting connections',
      message,
      evidence: { metric, value, unit: 'connections', threshold },
      recommendation: advice,
    });
    if (crossed) {
      return [
        finding(
          crossed.severity,
          `${describeNode(redis)} rejected ${formatCount(during)} connections during the ${formatWindow(redis.windowMs)} window (${formatCount(sinceStart)} since start).`,
          during,
          'redis.stats.rejectedConnectionsDuringWindow',
          crossed.threshold,
        ),
      ];
    }
    if (sinceStart > 0) {
      return [
        finding(
          'info',
          `${describeNode(redis)} has rejected ${formatCount(sinceStart)} connections since it started, none during the window.`,
          sinceStart,
          'redis.stats.rejectedConnectionsSinceStart',
          0,
        ),
      ];
    }
    return [];
  },
};
