/**
 * The bounded big-key scan: SCAN with a COUNT (never KEYS), stopped by a key budget and a
 * time budget, measuring each key with MEMORY USAGE and its type's length command. It keeps
 * the largest keys of each type; which of them are too big is the rules' decision.
 */
import type { RedisBigKey, RedisKeySample, RedisKeyType } from '../../contracts/redis.js';
import type { Clock } from '../../ports/clock.js';
import type { RedisArg, RedisReply, RedisSession } from '../../ports/redis.js';

/** Key names may be sensitive and long: at most this many characters are kept. */
export const KEY_NAME_MAX = 120;
/** The largest keys kept per type (the rules judge them against the RedisInsight thresholds). */
export const LARGEST_PER_TYPE = 10;

export interface ScanOptions {
  maxKeys: number;
  maxMs: number;
  count: number;
  signal: AbortSignal;
  memoryAllowed: boolean;
}

const LENGTH_COMMAND: Record<Exclude<RedisKeyType, 'other'>, { command: string; unit: string }> = {
  string: { command: 'STRLEN', unit: 'bytes' },
  hash: { command: 'HLEN', unit: 'fields' },
  list: { command: 'LLEN', unit: 'elements' },
  set: { command: 'SCARD', unit: 'members' },
  zset: { command: 'ZCARD', unit: 'members' },
  stream: { command: 'XLEN', unit: 'entries' },
};

export function truncateKeyName(name: string): string {
  return name.length > KEY_NAME_MAX ? `${name.slice(0, KEY_NAME_MAX - 1)}…` : name;
}

function keyType(text: unknown): RedisKeyType {
  const type = String(text);
  return type === 'string' || type === 'hash' || type === 'list' || type === 'set' || type === 'zset' || type === 'stream' ? type : 'other';
}

const numberOf = (reply: RedisReply | undefined): number | null =>
  reply?.ok === true && reply.value !== null && Number.isFinite(Number(reply.value)) ? Number(reply.value) : null;

export async function scanKeys(session: RedisSession, clock: Clock, options: ScanOptions): Promise<RedisKeySample> {
  const started = clock.monotonicMs();
  const totalKeys = Number(await session.call('DBSIZE'));
  const largest = new Map<RedisKeyType, RedisBigKey[]>();
  let scanned = 0;
  let withoutTtl = 0;
  let cursor = '0';
  let stoppedBy = 'done';
  do {
    if (scanned >= options.maxKeys) {
      stoppedBy = 'max-keys';
      break;
    }
    if (clock.monotonicMs() - started >= options.maxMs || options.signal.aborted) {
      stoppedBy = 'time';
      break;
    }
    const reply = (await session.call('SCAN', cursor, 'COUNT', options.count)) as [string, string[]];
    cursor = String(reply[0]);
    const keys = reply[1].slice(0, options.maxKeys - scanned);
    if (keys.length === 0) continue;
    // one round trip for type and TTL, one for the sizes
    const first = await session.pipeline(keys.flatMap((key) => [['TYPE', key] as const, ['PTTL', key] as const]));
    const types = keys.map((_, i) => {
      const reply = first[i * 2];
      return keyType(reply?.ok ? reply.value : 'none');
    });
    const sizeCommands: Array<readonly [string, ...RedisArg[]]> = [];
    keys.forEach((key, i) => {
      const type = types[i]!;
      sizeCommands.push(type === 'other' ? ['EXISTS', key] : [LENGTH_COMMAND[type].command, key]);
      if (options.memoryAllowed) sizeCommands.push(['MEMORY', 'USAGE', key]);
    });
    const sizes = await session.pipeline(sizeCommands);
    const per = options.memoryAllowed ? 2 : 1;
    keys.forEach((key, i) => {
      const type = types[i]!;
      const ttl = numberOf(first[i * 2 + 1]);
      if (ttl === -2) return; // gone between SCAN and TYPE
      scanned += 1;
      if (ttl === -1) withoutTtl += 1;
      if (type === 'other') return;
      const size = numberOf(sizes[i * per]) ?? 0;
      const entry: RedisBigKey = {
        name: truncateKeyName(key),
        type,
        size,
        unit: LENGTH_COMMAND[type].unit,
        memoryBytes: options.memoryAllowed ? numberOf(sizes[i * per + 1]) : null,
      };
      const kept = largest.get(type) ?? [];
      kept.push(entry);
      // bounded memory: trim back to the largest few once the list doubles
      if (kept.length > LARGEST_PER_TYPE * 2) kept.sort((a, b) => b.size - a.size).splice(LARGEST_PER_TYPE);
      largest.set(type, kept);
    });
  } while (cursor !== '0');
  if (cursor === '0' && stoppedBy !== 'done' && scanned >= totalKeys) stoppedBy = 'done';

  const byWeight = (a: RedisBigKey, b: RedisBigKey) => (b.memoryBytes ?? b.size) - (a.memoryBytes ?? a.size);
  return {
    scannedKeys: scanned,
    totalKeys,
    coveragePercent: totalKeys === 0 ? 100 : Math.min(100, Math.round((scanned / totalKeys) * 10000) / 100),
    durationMs: Math.round((clock.monotonicMs() - started) * 1000) / 1000,
    stoppedBy,
    maxKeys: options.maxKeys,
    maxMs: options.maxMs,
    withoutTtl,
    withoutTtlPercent: scanned === 0 ? null : Math.round((withoutTtl / scanned) * 10000) / 100,
    largestKeys: [...largest.values()].flatMap((kept) => kept.sort((a, b) => b.size - a.size).slice(0, LARGEST_PER_TYPE)).sort(byWeight),
  };
}
