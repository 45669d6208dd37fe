import type { Finding } from '../../contracts/finding.js';
import { defineRule, NOT_APPLICABLE, type FindingReport } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatCount, formatWindow, levelAbove } from '../levels.js';

export const rule = defineRule({
  id: 'redis-rejected-connections',
  component: 'cache',
  category: 'cache',
  description: 'Connections rejected (maxclients reached) during the window; since start as info.',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const stats = redis?.stats;
    const during = stats?.rejectedConnectionsDuringWindow.value;
    if (!redis || !stats || during === null || during === undefined) return NOT_APPLICABLE;
    const max = redis.clients?.max.value;
    const advice =
      `Clients beyond maxclients${max ? ` (${formatCount(max)})` : ''} get "ERR max number of clients reached": find who holds the connections ` +
      '(`redis-cli CLIENT LIST` grouped by addr/name: oversized pools, leaked connections, idle clients: set `timeout`), then raise maxclients ' +
      '(CONFIG SET maxclients; redis-server also needs the file-descriptor limit for it).';
    const crossed = levelAbove(during, context.thresholds.redisRejectedConnections);
    const sinceStart = stats.rejectedConnectionsSinceStart.value ?? 0;
    const finding = (severity: Finding['severity'], message: string, value: number, metric: string, threshold: number): FindingReport => ({
      severity,
      subject: INSTANCE,
      title: 'Redis rejecting connections',
      message,
      evidence: { metric, value, unit: 'connections', threshold },
      recommendation: advice,
    });
    if (crossed) {
      context.report(
        finding(
          crossed.severity,
          `${describeNode(redis)} rejected ${formatCount(during)} connections during the ${formatWindow(redis.windowMs)} window (${formatCount(sinceStart)} since start).`,
          during,
          'redis.stats.rejectedConnectionsDuringWindow',
          crossed.threshold,
        ),
      );
      return;
    }
    if (sinceStart > 0) {
      context.report(
        finding(
          'info',
          `${describeNode(redis)} has rejected ${formatCount(sinceStart)} connections since it started, none during the window.`,
          sinceStart,
          'redis.stats.rejectedConnectionsSinceStart',
          0,
        ),
      );
    }
  },
});
