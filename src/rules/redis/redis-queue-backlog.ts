import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import type { RedisQueue } from '../../contracts/redis.js';
import { describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatCount, formatWindow, levelAbove, round } from '../levels.js';

function consumers(queue: RedisQueue): string {
  switch (queue.kind) {
    case 'bullmq':
      return `BullMQ workers of "${queue.name}" (Worker concurrency, or more worker processes)`;
    case 'celery':
      return `Celery workers consuming "${queue.name}" (celery -A <app> worker -Q ${queue.name} --concurrency N; \`celery inspect active\` shows what they are busy with)`;
    default:
      return `the consumers of "${queue.name}"`;
  }
}

function flow(queue: RedisQueue): string {
  const parts = [`backlog ${formatCount(queue.backlogAtStart)} -> ${formatCount(queue.backlogAtEnd)}`];
  if (queue.inPerMin.value !== null) parts.push(`${queue.inPerMin.value} jobs/min in, ${queue.outPerMin.value ?? '?'} jobs/min out`);
  if (queue.active !== null) parts.push(`${formatCount(queue.active)} active, ${formatCount(queue.delayed ?? 0)} delayed, ${formatCount(queue.failed ?? 0)} failed`);
  return parts.join('; ');
}

export const rule = defineRule({
  id: 'redis-queue-backlog',
  component: 'cache',
  category: 'cache',
  description: 'Configured worker queues: a backlog over the threshold, or a backlog that grew during the window.',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    if (!redis || redis.queues.length === 0) return NOT_APPLICABLE;
    for (const queue of redis.queues) {
      const subject = `redis:queue:${queue.name}`;
      const growth = queue.backlogGrowthPerMin.value;
      const growing = growth !== null && queue.backlogAtEnd > 0 ? levelAbove(growth, context.thresholds.redisQueueGrowthPerMin) : null;
      const backlog = levelAbove(queue.backlogAtEnd, context.thresholds.redisQueueBacklog);
      if (growing) {
        context.report({
          severity: growing.severity,
          subject,
          title: `Queue ${queue.name} growing`,
          message:
            `The ${queue.kind} queue "${queue.name}" on ${describeNode(redis)} grew by ${formatCount(queue.backlogAtEnd - queue.backlogAtStart)} jobs during the ` +
            `${formatWindow(redis.windowMs)} window (${round(growth ?? 0, 1)} jobs/min): ${flow(queue)}. Jobs arrive faster than they are taken.`,
          evidence: { metric: `redis.queues[${queue.name}].backlogGrowthPerMin`, value: round(growth ?? 0, 1), unit: 'jobs/min', threshold: growing.threshold },
          recommendation: `Add capacity to ${consumers(queue)}, or find why they are slow (a stuck job, a slow dependency); watch the backlog again after the change.`,
        });
      } else if (backlog) {
        context.report({
          severity: backlog.severity,
          subject,
          title: `Queue ${queue.name} backlog`,
          message: `The ${queue.kind} queue "${queue.name}" on ${describeNode(redis)} has ${formatCount(queue.backlogAtEnd)} jobs waiting: ${flow(queue)}.`,
          evidence: { metric: `redis.queues[${queue.name}].backlogAtEnd`, value: queue.backlogAtEnd, unit: 'jobs', threshold: backlog.threshold },
          recommendation: `Check that ${consumers(queue)} are running and keeping up; if they are, add capacity until the backlog drains.`,
        });
      }
    }
  },
});
