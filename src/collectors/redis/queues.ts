/**
 * Worker queues: BullMQ (bull:<name>:wait|paused|prioritized|active|delayed|failed, and the
 * bull:<name>:id job counter), Celery (a list named after the queue plus its priority lists
 * "<name>\x06\x16<n>"), or a plain list, sorted set or stream. Read at the start and the end of
 * the window; the backlog is what waits to be picked up.
 */
import { delta } from '../../contracts/metric.js';
import type { RedisQueue } from '../../contracts/redis.js';
import type { RedisReply, RedisSession } from '../../ports/redis.js';
import { truncateKeyName } from './keys.js';

const BULL_PARTS = ['wait', 'paused', 'prioritized', 'active', 'delayed', 'failed', 'id', 'meta'] as const;
/** kombu's Redis transport: priority lists are "<queue>\x06\x16<priority>" (priority_steps 0, 3, 6, 9 by default; any 1-9 accepted) */
const CELERY_SEPARATOR = '\x06\x16';
const CELERY_PRIORITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export interface QueueReading {
  name: string;
  kind: string;
  keys: Array<{ key: string; type: string; length: number }>;
  backlog: number;
  /** a counter of jobs ever added, where the structure keeps one */
  added: number | null;
  active: number | null;
  delayed: number | null;
  failed: number | null;
}

const valueOf = (reply: RedisReply | undefined): unknown => (reply?.ok ? reply.value : null);
const lengthCommand: Record<string, string> = { list: 'LLEN', zset: 'ZCARD', stream: 'XLEN', set: 'SCARD', hash: 'HLEN', string: 'STRLEN' };

/** Whether a list element looks like a kombu (Celery) message: JSON with properties and headers or body. */
export function looksLikeCeleryMessage(element: unknown): boolean {
  if (typeof element !== 'string' || !element.startsWith('{')) return false;
  try {
    const message = JSON.parse(element) as Record<string, unknown>;
    return typeof message.properties === 'object' && message.properties !== null && ('headers' in message || 'body' in message);
  } catch {
    return false;
  }
}

export async function readQueue(session: RedisSession, name: string): Promise<QueueReading> {
  const bullKeys = BULL_PARTS.map((part) => `bull:${name}:${part}`);
  const celeryKeys = [name, ...CELERY_PRIORITIES.map((priority) => `${name}${CELERY_SEPARATOR}${priority}`)];
  const candidates = [...bullKeys, ...celeryKeys];
  const types = (await session.pipeline(candidates.map((key) => ['TYPE', key] as const))).map((reply) => String(valueOf(reply) ?? 'none'));
  const present = candidates.map((key, i) => ({ key, type: types[i]! })).filter((entry) => entry.type !== 'none');
  const lengths = await session.pipeline(
    present.map((entry) => (entry.type === 'string' ? (['GET', entry.key] as const) : ([lengthCommand[entry.type] ?? 'EXISTS', entry.key] as const))),
  );
  const keys = present.map((entry, i) => ({ key: truncateKeyName(entry.key), type: entry.type, length: Number(valueOf(lengths[i]) ?? 0) || 0 }));
  const lengthOf = (key: string) => keys.find((entry) => entry.key === truncateKeyName(key))?.length ?? 0;
  const has = (key: string) => present.some((entry) => entry.key === key);

  if (bullKeys.some(has)) {
    return {
      name,
      kind: 'bullmq',
      keys: keys.filter((entry) => entry.key.startsWith('bull:')),
      backlog: lengthOf(`bull:${name}:wait`) + lengthOf(`bull:${name}:paused`) + lengthOf(`bull:${name}:prioritized`),
      added: has(`bull:${name}:id`) ? lengthOf(`bull:${name}:id`) : null,
      active: lengthOf(`bull:${name}:active`),
      delayed: lengthOf(`bull:${name}:delayed`),
      failed: lengthOf(`bull:${name}:failed`),
    };
  }
  const own = keys.filter((entry) => celeryKeys.some((key) => truncateKeyName(key) === entry.key));
  const base = present.find((entry) => entry.key === name);
  const priorities = own.filter((entry) => entry.key !== truncateKeyName(name) && entry.type === 'list');
  const reading = (kind: string, backlog: number, added: number | null = null): QueueReading => ({
    name,
    kind,
    keys: own,
    backlog,
    added,
    active: null,
    delayed: null,
    failed: null,
  });
  if (base?.type === 'list' || priorities.length > 0) {
    const backlog = own.filter((entry) => entry.type === 'list').reduce((sum, entry) => sum + entry.length, 0);
    let celery = priorities.length > 0;
    if (!celery && base) celery = looksLikeCeleryMessage(await session.call('LINDEX', name, -1));
    return reading(celery ? 'celery' : 'list', backlog);
  }
  if (base?.type === 'zset') return reading('zset', lengthOf(name));
  if (base?.type === 'stream') {
    const info = await session.pipeline([['XINFO', 'STREAM', name], ['XINFO', 'GROUPS', name]]);
    const stream = pairs(valueOf(info[0]));
    const groups = Array.isArray(valueOf(info[1])) ? (valueOf(info[1]) as unknown[]).map(pairs) : [];
    const lags = groups.map((group) => (typeof group.lag === 'number' ? group.lag : null));
    // backlog: entries no consumer group has been given yet (the largest lag); without groups, the whole stream
    const backlog = groups.length === 0 || lags.some((lag) => lag === null) ? lengthOf(name) : Math.max(...(lags as number[]));
    const added = typeof stream['entries-added'] === 'number' ? stream['entries-added'] : null;
    return reading('stream', backlog, added);
  }
  return reading(base ? base.type : 'absent', 0);
}

/** ["a", 1, "b", 2] -> { a: 1, b: 2 } (RESP2 maps) */
function pairs(reply: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return result;
  for (let i = 0; i + 1 < reply.length; i += 2) result[String(reply[i])] = reply[i + 1];
  return result;
}

/** Queue facts from the readings at the start and the end of the window. */
export function queueOver(start: QueueReading, end: QueueReading, windowMs: number): RedisQueue {
  const minutes = windowMs / 60_000;
  const perMin = (value: number | null) => (value === null || minutes <= 0 ? null : Math.round((value / minutes) * 10) / 10);
  const growth = end.backlog - start.backlog;
  const added = start.added !== null && end.added !== null && end.added >= start.added ? end.added - start.added : null;
  return {
    name: end.name,
    kind: end.kind,
    keys: end.keys,
    backlogAtStart: start.backlog,
    backlogAtEnd: end.backlog,
    backlogGrowthPerMin: delta(perMin(growth), 'jobs/min', windowMs),
    inPerMin: delta(perMin(added), 'jobs/min', windowMs),
    outPerMin: delta(added === null ? null : perMin(Math.max(0, added - growth)), 'jobs/min', windowMs),
    active: end.active,
    delayed: end.delayed,
    failed: end.failed,
  };
}
