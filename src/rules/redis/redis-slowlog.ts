import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import type { RedisSlowlogEntry } from '../../contracts/redis.js';
import { describeNode, reachedRedis } from '../lib/redis-common.js';
import { formatFixed, round } from '../levels.js';

/** What to do about a slow command, by name. */
function advice(command: string): string {
  switch (command) {
    case 'KEYS':
      return 'KEYS walks the whole keyspace and blocks every other client: replace it with SCAN (cursor, COUNT) in the application.';
    case 'EVAL':
    case 'EVALSHA':
    case 'FCALL':
      return `Lua scripts run atomically and block the server while they run: move loops over many keys out of the script, or split the work into smaller calls; ${command} callers are in CLIENT LIST by name.`;
    case 'SMEMBERS':
    case 'HGETALL':
    case 'LRANGE':
    case 'ZRANGE':
    case 'SUNION':
    case 'SINTER':
      return `${command} reads a whole big collection: page through it (SSCAN / HSCAN / ranges with limits) or split the key.`;
    case 'DEL':
      return 'DEL of a big key frees it synchronously: use UNLINK (or lazyfree-lazy-user-del yes) so memory is freed in the background.';
    case 'FLUSHALL':
    case 'FLUSHDB':
      return `${command} without ASYNC blocks while freeing every key: use ${command} ASYNC.`;
    default:
      return `Find the callers of ${command} and the key sizes they touch (metrics.redis.keySample.largestKeys); prefer O(1)/O(log n) commands and smaller keys.`;
  }
}

export const rule = defineRule({
  id: 'redis-slowlog',
  component: 'cache',
  category: 'cache',
  description: 'Slowlog entries over the threshold, one finding per command name (never arguments).',
  requires: ['redis'],
  check(context) {
    const redis = reachedRedis(context.data.redis);
    if (!redis?.slowlog) return NOT_APPLICABLE;
    const limit = context.thresholds.redisSlowlogMs.warning;
    const byCommand = new Map<string, RedisSlowlogEntry[]>();
    for (const entry of redis.slowlog.entries) {
      if (entry.durationMs <= limit) continue;
      byCommand.set(entry.command, [...(byCommand.get(entry.command) ?? []), entry]);
    }
    // the slowest command first (by its slowest call, as its evidence rounds it; ties keep the slowlog's order)
    const slowestFirst = [...byCommand]
      .map(([command, entries]) => ({ command, entries, slowest: Math.max(...entries.map((entry) => entry.durationMs)) }))
      .sort((a, b) => round(b.slowest, 3) - round(a.slowest, 3));
    for (const { command, entries, slowest } of slowestFirst) {
      const total = entries.reduce((sum, entry) => sum + entry.durationMs, 0);
      const latest = [...entries].sort((a, b) => b.timestamp - a.timestamp)[0]!.time;
      const clients = [...new Set(entries.map((entry) => entry.clientName).filter((name): name is string => name !== null))];
      context.report({
        severity: 'warning',
        subject: `redis:command:${command}`,
        title: `Slow Redis command ${command}`,
        message:
          `The slowlog of ${describeNode(redis)} holds ${entries.length} ${command} call${entries.length === 1 ? '' : 's'} over ${limit} ms: ` +
          `slowest ${formatFixed(slowest, 1)} ms, ${formatFixed(total, 1)} ms in all, latest at ${latest}` +
          `${clients.length > 0 ? `, from client${clients.length === 1 ? '' : 's'} ${clients.slice(0, 3).join(', ')}` : ''}. Redis runs commands one at a time: every other client waited meanwhile.`,
        evidence: { metric: `redis.slowlog.entries[${command}].durationMs`, value: round(slowest, 3), unit: 'ms', threshold: limit },
        recommendation: advice(command),
      });
    }
  },
});
