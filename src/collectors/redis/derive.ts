/**
 * Pure derivations from two INFO snapshots taken `windowMs` apart: rates and ratios over
 * the window (deltas), and gauges read from the second snapshot.
 */
import { cumulative, delta, gauge } from '../../contracts/metric.js';
import type {
  RedisClients,
  RedisCommandStat,
  RedisKeyspaceDb,
  RedisMemory,
  RedisPersistence,
  RedisServerInfo,
  RedisStats,
} from '../../contracts/redis.js';
import { commandStatsOf, keyspaceOf, latencyPercentilesOf, num, type InfoFields } from './info.js';

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** b - a of a counter; null when either is missing or the counter went back (server restarted). */
function counterDelta(a: InfoFields, b: InfoFields, key: string): number | null {
  const before = num(a, key);
  const after = num(b, key);
  if (before === null || after === null || after < before) return null;
  return after - before;
}

function percent(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) return null;
  return round((part / whole) * 100, 2);
}

export function serverInfo(fields: InfoFields, node: string, db: number): RedisServerInfo {
  const role = fields.get('role') ?? 'unknown';
  const primaryHost = fields.get('master_host');
  return {
    version: fields.get('redis_version') ?? 'unknown',
    mode: fields.get('redis_mode') ?? (fields.get('cluster_enabled') === '1' ? 'cluster' : 'standalone'),
    role,
    node,
    db,
    uptimeSeconds: num(fields, 'uptime_in_seconds') ?? 0,
    connectedReplicas: num(fields, 'connected_slaves') ?? 0,
    primary: primaryHost === undefined ? null : `${primaryHost}:${fields.get('master_port') ?? '?'}`,
    primaryLinkStatus: fields.get('master_link_status') ?? null,
  };
}

export function statsOver(a: InfoFields, b: InfoFields, windowMs: number, ownCommands: number): RedisStats {
  const seconds = windowMs / 1000;
  const commands = counterDelta(a, b, 'total_commands_processed');
  const hits = counterDelta(a, b, 'keyspace_hits');
  const misses = counterDelta(a, b, 'keyspace_misses');
  const lookups = hits === null || misses === null ? null : hits + misses;
  const totalHits = num(b, 'keyspace_hits');
  const totalMisses = num(b, 'keyspace_misses');
  const totalLookups = totalHits === null || totalMisses === null ? null : totalHits + totalMisses;
  const ops = commands === null || seconds <= 0 ? null : round(Math.max(0, commands - ownCommands) / seconds, 1);
  return {
    opsPerSec: delta(ops, 'ops/s', windowMs),
    ownCommandsDuringWindow: ownCommands,
    keyspaceHitsDuringWindow: delta(hits, 'lookups', windowMs),
    keyspaceMissesDuringWindow: delta(misses, 'lookups', windowMs),
    hitRatePercent: { ...delta(percent(hits, lookups), '%', windowMs), ...(lookups !== null ? { samples: lookups } : {}) },
    hitRateSinceStartPercent: { ...cumulative(percent(totalHits, totalLookups), '%'), ...(totalLookups !== null ? { samples: totalLookups } : {}) },
    evictedKeysDuringWindow: delta(counterDelta(a, b, 'evicted_keys'), 'keys', windowMs),
    evictedKeysSinceStart: cumulative(num(b, 'evicted_keys'), 'keys'),
    expiredKeysDuringWindow: delta(counterDelta(a, b, 'expired_keys'), 'keys', windowMs),
    rejectedConnectionsDuringWindow: delta(counterDelta(a, b, 'rejected_connections'), 'connections', windowMs),
    rejectedConnectionsSinceStart: cumulative(num(b, 'rejected_connections'), 'connections'),
  };
}

export function memoryOf(fields: InfoFields, doctor: string | null): RedisMemory {
  const used = num(fields, 'used_memory');
  const rss = num(fields, 'used_memory_rss');
  const max = num(fields, 'maxmemory') ?? 0;
  const fragmentationBytes = num(fields, 'mem_fragmentation_bytes') ?? (used !== null && rss !== null ? rss - used : null);
  return {
    usedBytes: gauge(used, 'bytes'),
    rssBytes: gauge(rss, 'bytes'),
    peakBytes: gauge(num(fields, 'used_memory_peak'), 'bytes'),
    maxmemoryBytes: gauge(max, 'bytes'),
    noLimit: max === 0,
    usedPercentOfMax: gauge(max === 0 ? null : percent(used, max), '%'),
    policy: fields.get('maxmemory_policy') ?? 'unknown',
    fragmentationRatio: gauge(num(fields, 'mem_fragmentation_ratio'), 'ratio'),
    fragmentationBytes: gauge(fragmentationBytes, 'bytes'),
    doctor,
  };
}

export function clientsOf(fields: InfoFields, maxFromConfig: number | null): RedisClients {
  const connected = num(fields, 'connected_clients');
  const max = num(fields, 'maxclients') ?? maxFromConfig;
  return {
    connected: gauge(connected, 'clients'),
    max: gauge(max, 'clients'),
    usedPercent: gauge(percent(connected, max), '%'),
    blocked: gauge(num(fields, 'blocked_clients'), 'clients'),
  };
}

export function persistenceOf(fields: InfoFields): RedisPersistence {
  const forkUsec = num(fields, 'latest_fork_usec');
  return {
    rdbLastBgsaveStatus: fields.get('rdb_last_bgsave_status') ?? null,
    rdbChangesSinceLastSave: gauge(num(fields, 'rdb_changes_since_last_save'), 'changes'),
    rdbLastSaveTime: num(fields, 'rdb_last_save_time'),
    aofEnabled: fields.get('aof_enabled') === '1',
    aofLastWriteStatus: fields.get('aof_last_write_status') ?? null,
    aofLastBgrewriteStatus: fields.get('aof_last_bgrewrite_status') ?? null,
    latestForkMs: gauge(forkUsec === null ? null : round(forkUsec / 1000, 3), 'ms'),
    loading: fields.get('loading') === '1',
  };
}

export function keyspaceDbs(fields: InfoFields): RedisKeyspaceDb[] {
  return keyspaceOf(fields).map((entry) => ({
    db: entry.db,
    keys: entry.keys,
    expires: entry.expires,
    withTtlPercent: percent(entry.expires, entry.keys) ?? 0,
    avgTtlMs: entry.avgTtlMs,
  }));
}

/** The only commands the profiler sends during the window: left out of the application's server-side latency. */
export const WINDOW_OWN_COMMANDS: ReadonlySet<string> = new Set(['info', 'ping']);

/**
 * Average server-side µs per call of the application's commands during the window, from
 * commandstats deltas. The commands the profiler sends during the window (INFO, PING) are left out.
 */
export function serverLatencyOver(a: InfoFields, b: InfoFields): { avgUsec: number | null; calls: number } {
  const before = commandStatsOf(a);
  const after = commandStatsOf(b);
  let calls = 0;
  let usec = 0;
  for (const [command, counters] of after) {
    if (WINDOW_OWN_COMMANDS.has(command)) continue;
    const previous = before.get(command) ?? { calls: 0, usec: 0 };
    if (counters.calls < previous.calls) continue;
    calls += counters.calls - previous.calls;
    usec += counters.usec - previous.usec;
  }
  return { avgUsec: calls === 0 ? null : round(usec / calls, 2), calls };
}

/** The `count` commands with the most server time since start, with their latency percentiles where Redis has them. */
export function topCommandsByTime(fields: InfoFields, count = 10): RedisCommandStat[] {
  const stats = commandStatsOf(fields);
  const percentiles = latencyPercentilesOf(fields);
  const totalUsec = [...stats.values()].reduce((sum, counters) => sum + counters.usec, 0);
  return [...stats.entries()]
    .sort((x, y) => y[1].usec - x[1].usec)
    .slice(0, count)
    .map(([command, counters]) => ({
      command,
      calls: counters.calls,
      usecPerCall: counters.calls === 0 ? 0 : round(counters.usec / counters.calls, 2),
      timeSharePercent: totalUsec === 0 ? 0 : round((counters.usec / totalUsec) * 100, 2),
      p50Usec: percentiles.get(command)?.p50 ?? null,
      p99Usec: percentiles.get(command)?.p99 ?? null,
    }));
}
