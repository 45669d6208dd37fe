import type { Rule } from '../contracts/rule.js';
import { INSTANCE, describeNode, redisMetricsOf } from './redis-common.js';
import { formatCount, formatPercent, levelAbove, round } from './levels.js';

export const rule: Rule = {
  id: 'redis-clients',
  component: 'cache',
  category: 'cache',
  description: 'connected_clients against maxclients.',
  evaluate(context) {
    const redis = redisMetricsOf(context);
    const clients = redis?.clients;
    const percent = clients?.usedPercent.value;
    if (!redis || !clients || percent === null || percent === undefined) return null;
    const crossed = levelAbove(percent, context.thresholds.redisClientsPercent);
    if (!crossed) return [];
    return [
      {
        ruleId: rule.id,
        severity: crossed.severity,
        category: 'cache',
        subject: INSTANCE,
        title: 'Redis close to maxclients',
        message:
          `${describeNode(redis)} has ${formatCount(clients.connected.value ?? 0)} clients connected of ${formatCount(clients.max.value ?? 0)} allowed ` +
          `(${formatPercent(percent)}), ${formatCount(clients.blocked.value ?? 0)} blocked.`,
        evidence: { metric: 'redis.clients.usedPercent', value: round(percent, 1), unit: '%', threshold: crossed.threshold },
        recommendation:
          'New connections will be rejected at the limit: group `redis-cli CLIENT LIST` by addr and name to find the pool that holds most, cap pool sizes, ' +
          'close idle clients (`CONFIG SET timeout 300`), or raise maxclients together with the file-descriptor limit.',
      },
    ];
  },
};
