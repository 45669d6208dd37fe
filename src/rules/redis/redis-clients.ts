import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { INSTANCE, describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatCount, formatPercent, levelAbove, round } from '../levels.js';

export const rule = defineRule({
  id: 'redis-clients',
  component: 'cache',
  category: 'cache',
  description: 'connected_clients against maxclients.',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    const clients = redis?.clients;
    const percent = clients?.usedPercent.value;
    if (!redis || !clients || percent === null || percent === undefined) return NOT_APPLICABLE;
    const crossed = levelAbove(percent, context.thresholds.redisClientsPercent);
    if (!crossed) return;
    context.report({
      severity: crossed.severity,
      subject: INSTANCE,
      title: 'Redis close to maxclients',
      message:
        `${describeNode(redis)} has ${formatCount(clients.connected.value ?? 0)} clients connected of ${formatCount(clients.max.value ?? 0)} allowed ` +
        `(${formatPercent(percent)}), ${formatCount(clients.blocked.value ?? 0)} blocked.`,
      evidence: { metric: 'redis.clients.usedPercent', value: round(percent, 1), unit: '%', threshold: crossed.threshold },
      recommendation:
        'New connections will be rejected at the limit: group `redis-cli CLIENT LIST` by addr and name to find the pool that holds most, cap pool sizes, ' +
        'close idle clients (`CONFIG SET timeout 300`), or raise maxclients together with the file-descriptor limit.',
    });
  },
});
