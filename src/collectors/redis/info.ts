/** Pure parsers of the text Redis returns for INFO. */

export type InfoFields = Map<string, string>;

/** "key:value" lines of INFO (every section) into one map; section headers and blank lines skipped. */
export function parseInfo(text: string): InfoFields {
  const fields: InfoFields = new Map();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** A numeric field, or null when absent or not a number. */
export function num(fields: InfoFields, key: string): number | null {
  const text = fields.get(key);
  if (text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** "keys=3,expires=1,avg_ttl=0" -> { keys: 3, expires: 1, avg_ttl: 0 } */
export function parseAttributes(text: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = Number(pair.slice(eq + 1));
    if (Number.isFinite(value)) result[pair.slice(0, eq)] = value;
  }
  return result;
}

export interface KeyspaceEntry {
  db: number;
  keys: number;
  expires: number;
  avgTtlMs: number;
}

/** db0:keys=..,expires=..,avg_ttl=.. lines of INFO keyspace */
export function keyspaceOf(fields: InfoFields): KeyspaceEntry[] {
  const entries: KeyspaceEntry[] = [];
  for (const [key, value] of fields) {
    const match = /^db(\d+)$/.exec(key);
    if (!match) continue;
    const attributes = parseAttributes(value);
    entries.push({ db: Number(match[1]), keys: attributes.keys ?? 0, expires: attributes.expires ?? 0, avgTtlMs: attributes.avg_ttl ?? 0 });
  }
  return entries.sort((a, b) => a.db - b.db);
}

export interface CommandCounters {
  calls: number;
  usec: number;
}

/** cmdstat_<name>:calls=..,usec=.. lines of INFO commandstats, by command name */
export function commandStatsOf(fields: InfoFields): Map<string, CommandCounters> {
  const stats = new Map<string, CommandCounters>();
  for (const [key, value] of fields) {
    if (!key.startsWith('cmdstat_')) continue;
    const attributes = parseAttributes(value);
    stats.set(key.slice('cmdstat_'.length), { calls: attributes.calls ?? 0, usec: attributes.usec ?? 0 });
  }
  return stats;
}

/** latency_percentiles_usec_<name>:p50=..,p99=.. lines of INFO latencystats (Redis 7.0+) */
export function latencyPercentilesOf(fields: InfoFields): Map<string, { p50: number | null; p99: number | null }> {
  const percentiles = new Map<string, { p50: number | null; p99: number | null }>();
  for (const [key, value] of fields) {
    if (!key.startsWith('latency_percentiles_usec_')) continue;
    const attributes = parseAttributes(value);
    percentiles.set(key.slice('latency_percentiles_usec_'.length), { p50: attributes.p50 ?? null, p99: attributes.p99 ?? null });
  }
  return percentiles;
}
