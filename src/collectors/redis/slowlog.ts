import type { RedisSlowlogEntry } from '../../contracts/redis.js';

/** How many slowlog entries are read (SLOWLOG GET n); the server keeps 128 by default. */
export const SLOWLOG_ENTRIES = 128;

/**
 * SLOWLOG GET replies -> entries with the command name only. Arguments are dropped here and
 * never stored: they hold keys, values and scripts (EVAL's script, AUTH's password).
 */
export function parseSlowlog(reply: unknown): RedisSlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: RedisSlowlogEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || item.length < 4) continue;
    const [id, timestamp, durationUs, args, , clientName] = item as [unknown, unknown, unknown, unknown, unknown, unknown];
    const argv = Array.isArray(args) ? args : [];
    const name = argv.length > 0 ? String(argv[0]) : '?';
    entries.push({
      id: Number(id),
      timestamp: Number(timestamp),
      time: Number.isFinite(Number(timestamp)) ? new Date(Number(timestamp) * 1000).toISOString() : '',
      durationMs: Math.round((Number(durationUs) / 1000) * 1000) / 1000,
      command: commandName(name),
      argumentCount: Math.max(0, argv.length - 1),
      clientName: typeof clientName === 'string' && clientName !== '' ? clientName.slice(0, 64) : null,
    });
  }
  return entries;
}

/** Upper-case command name; anything that does not look like a command name (a client sending garbage) becomes "?". */
function commandName(name: string): string {
  return /^[A-Za-z][A-Za-z0-9_.|-]{0,40}$/.test(name) ? name.toUpperCase() : '?';
}
