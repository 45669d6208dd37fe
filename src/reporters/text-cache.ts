/** The CACHE (Redis) section of the executive summary: the key numbers of the cache component. */
import type { RedisMetrics } from '../contracts/redis.js';
import { formatDuration, formatMetric, formatNumber, hanging, heading, oneLine } from './format.js';
import { formatBytes } from '../shared/bytes.js';

function fields(entries: Array<[string, string]>): string[] {
  const labelWidth = Math.max(...entries.map(([label]) => label.length)) + 2;
  return entries.flatMap(([label, value]) => hanging(label.padEnd(labelWidth), value));
}

export function cacheSection(redis: RedisMetrics): string[] {
  const server = redis.server;
  if (!redis.reachable || !server) {
    return [...heading(`CACHE (Redis ${oneLine(redis.target)})`), ...hanging('Not analysed: ', oneLine(redis.error ?? 'unreachable'))];
  }
  const entries: Array<[string, string]> = [];
  const { stats, memory, clients, latency, keySample } = redis;
  if (stats) {
    entries.push([
      'Hit rate',
      `${formatMetric(stats.hitRatePercent)} during the window (${formatNumber(stats.hitRatePercent.samples ?? 0)} lookups), ` +
        `${formatMetric(stats.hitRateSinceStartPercent)} since start`,
    ]);
    entries.push([
      'Throughput',
      `${formatMetric(stats.opsPerSec)}; evicted ${formatMetric(stats.evictedKeysDuringWindow)}, expired ${formatMetric(stats.expiredKeysDuringWindow)}, ` +
        `rejected ${formatMetric(stats.rejectedConnectionsDuringWindow)} in the window; evicted ${formatMetric(stats.evictedKeysSinceStart)} since start` +
        (redis.server ? ` (up ${formatNumber(Math.round(redis.server.uptimeSeconds / 60))} min)` : ''),
    ]);
  }
  if (latency) {
    entries.push([
      'Latency',
      `PING p50 ${formatMetric(latency.pingP50Ms)}, p99 ${formatMetric(latency.pingP99Ms)} (${latency.pingSamples} samples, ${latency.pingFailures} failed); ` +
        `server ${formatMetric(latency.serverAvgUsecPerCall)}/call`,
    ]);
  }
  if (memory) {
    const limit = memory.noLimit ? 'no maxmemory (no limit)' : `${formatMetric(memory.usedPercentOfMax)} of maxmemory ${formatMetric(memory.maxmemoryBytes)}`;
    entries.push(['Memory', `${formatMetric(memory.usedBytes)} used, ${limit}, policy ${oneLine(memory.policy)}; fragmentation ${formatMetric(memory.fragmentationRatio)}`]);
  }
  if (clients) entries.push(['Clients', `${formatMetric(clients.connected)} of ${formatMetric(clients.max)}, ${formatMetric(clients.blocked)} blocked`]);
  if (redis.slowlog) entries.push(['Slowlog', `${redis.slowlog.length} entries; commands ${[...new Set(redis.slowlog.entries.map((entry) => entry.command))].slice(0, 5).join(', ') || 'none'}`]);
  const keys = redis.keyspace.map((db) => `db${db.db} ${formatNumber(db.keys)} keys (${formatNumber(db.withTtlPercent)}% with TTL)`).join(', ');
  entries.push(['Keyspace', keys || 'empty']);
  if (keySample) {
    entries.push([
      'Key scan',
      `${formatNumber(keySample.scannedKeys)} of ${formatNumber(keySample.totalKeys)} keys (${formatNumber(keySample.coveragePercent)}%) in ${formatDuration(keySample.durationMs)}, ` +
        `stopped: ${keySample.stoppedBy}; largest ${keySample.largestKeys.slice(0, 3).map((key) => `${oneLine(key.name).slice(0, 40)} (${key.type}, ${formatBytes(key.memoryBytes)})`).join(', ') || 'none'}`,
    ]);
  }
  for (const queue of redis.queues) {
    entries.push([
      `Queue ${oneLine(queue.name).slice(0, 20)}`,
      `${queue.kind}: backlog ${queue.backlogAtStart} -> ${queue.backlogAtEnd} (${formatMetric(queue.backlogGrowthPerMin)}), in ${formatMetric(queue.inPerMin)}, out ${formatMetric(queue.outPerMin)}`,
    ]);
  }
  const role = server.role === 'slave' ? `replica of ${server.primary ?? '?'}` : server.role;
  return [
    ...heading(`CACHE (Redis ${oneLine(server.version)} ${oneLine(server.mode)} ${oneLine(role)} at ${oneLine(server.node)} db ${server.db}, window ${formatDuration(redis.windowMs)})`),
    ...fields(entries),
  ];
}
