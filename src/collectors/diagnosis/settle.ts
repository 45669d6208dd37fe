/**
 * Snapshots whose PostgreSQL table counters have settled. pg_stat_statements counts a call when the
 * statement ends; pg_stat_user_tables learns of its scans only when the backend publishes its pending
 * statistics (up to a second later while busy, up to PGSTAT_IDLE_INTERVAL later once idle). So the
 * statements of an interval are the cross-check of its table counters: every table a finished
 * statement reads (FROM, JOIN, UPDATE) was scanned at least once per call. A snapshot is settled when
 * the scans the statements explain have landed and two reads in a row agree.
 */
import type { SettleRecord } from '../../contracts/artifact.js';
import { readUntilSettled, STATS_SETTLE_DEADLINE_MS, STATS_SETTLE_INTERVAL_MS } from '../settle.js';
import { statementDelta, tableDelta } from './attribute.js';
import type { Snapshot, StatementCounters, TableCounters } from './snapshot.js';

/** PGSTAT_MIN_INTERVAL (1 s) and a margin: two reads this far apart that agree saw a busy backend's last publish. */
const PUBLISH_INTERVAL_MS = 1100;

/**
 * After its last statement, how long a backend may hold table counters before it publishes them:
 * PostgreSQL 15+ publishes what a backend held when it went idle less than PGSTAT_MIN_INTERVAL after
 * its last publish only when its idle timer fires, PGSTAT_IDLE_INTERVAL (10 s) later (measured here:
 * the last 7,700 of 12,400 scans of a 2 s burst appeared 9.1 s after it ended); before 15 the stats
 * collector published every PGSTAT_STAT_INTERVAL (500 ms). Plus a margin for a busy host.
 */
export function publishHorizonMs(serverVersionNum: number): number {
  return serverVersionNum >= 150000 ? 10_500 : 1_100;
}

/** Scans may fall short of calls by this share before a table counts as not yet published (a statement that reads no row of a table it names, e.g. WHERE false). */
const SCAN_SHORTFALL_TOLERANCE = 0.05;

/** Relation names a statement reads: after FROM, JOIN or UPDATE (not INSERT INTO: a VALUES insert scans nothing). */
export function tablesRead(query: string): string[] {
  const names = new Set<string>();
  const pattern = /\b(?:from|join|update)\s+((?:"[^"]+"|[a-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[a-z_][\w$]*))?)/gi;
  for (const match of query.matchAll(pattern)) {
    const name = match[1]!
      .split('.')
      .map((part) => part.trim())
      .map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase()))
      .join('.');
    names.add(name);
  }
  return [...names];
}

/** "schema.table" of pg_stat_user_tables for a name as written: qualified exactly, or a relation name that only one schema has. */
function resolveTable(name: string, tables: ReadonlyMap<string, unknown>, byRelation: ReadonlyMap<string, string[]>): string | null {
  if (name.includes('.')) return tables.has(name) ? name : null;
  const candidates = byRelation.get(name) ?? [];
  return candidates.length === 1 ? candidates[0]! : null;
}

/**
 * Tables whose scans over an interval fall short of the calls of the finished statements that read
 * them: their counters have not all been published yet. Empty when every expected scan is there.
 */
export function unpublishedScans(
  statements: ReadonlyMap<string, StatementCounters>,
  tables: ReadonlyMap<string, TableCounters>,
): Array<{ table: string; expected: number; seen: number }> {
  const byRelation = new Map<string, string[]>();
  for (const name of tables.keys()) {
    const relation = name.slice(name.indexOf('.') + 1);
    byRelation.set(relation, [...(byRelation.get(relation) ?? []), name]);
  }
  const expected = new Map<string, number>();
  for (const statement of statements.values()) {
    if (statement.calls <= 0) continue;
    for (const name of tablesRead(statement.query)) {
      const table = resolveTable(name, tables, byRelation);
      if (table) expected.set(table, (expected.get(table) ?? 0) + statement.calls);
    }
  }
  const short: Array<{ table: string; expected: number; seen: number }> = [];
  for (const [table, calls] of expected) {
    const delta = tables.get(table);
    const seen = delta ? delta.seqScan + delta.idxScan : 0;
    if (seen < calls * (1 - SCAN_SHORTFALL_TOLERANCE)) short.push({ table, expected: calls, seen });
  }
  return short;
}

function sameTables(a: Snapshot['tables'], b: Snapshot['tables']): boolean {
  if (!a || !b) return a === b;
  if (a.size !== b.size) return false;
  for (const [name, counters] of a) {
    const other = b.get(name);
    if (!other || other.seqScan !== counters.seqScan || other.idxScan !== counters.idxScan || other.seqTupRead !== counters.seqTupRead) return false;
  }
  return true;
}

/**
 * Reads snapshots until the publish horizon since the traffic ended has passed (or no other backend
 * can still hold counters: they exited or have been idle past the horizon) and the table counters
 * since `since` (the last settled snapshot) are explained by the statements since then, in two reads
 * in a row; at most STATS_SETTLE_DEADLINE_MS. Without pg_stat_statements two reads must agree instead.
 * Redis counters need no wait (INFO counts each command as it runs) and a snapshot without PostgreSQL
 * tables settles at once.
 */
export interface SettleTarget {
  /** the last settled snapshot: the statements since then cross-check the table counters */
  since: Snapshot | null;
  /** performance.now() when the traffic to wait for ended (ours, or the phase before) */
  trafficEndedMs: number;
  /** publishHorizonMs of the server; 0 when no table counters are read */
  horizonMs: number;
  /**
   * Whether another backend may still hold unpublished counters (read before each snapshot); `false`
   * ends the wait for the horizon early: every backend that ran the traffic has exited or published.
   * `null` (unknown) or absent: the horizon is waited for.
   */
  othersMayHold?: () => Promise<boolean | null>;
  signal: AbortSignal;
  deadlineMs?: number;
}

export async function settledSnapshot(read: () => Promise<Snapshot>, target: SettleTarget): Promise<{ snapshot: Snapshot; record: SettleRecord }> {
  const { since, signal } = target;
  const deadlineMs = target.deadlineMs ?? STATS_SETTLE_DEADLINE_MS;
  const missing = (current: Snapshot) =>
    since?.statements && current.statements && since.tables && current.tables
      ? unpublishedScans(statementDelta(since.statements, current.statements), tableDelta(since.tables, current.tables))
      : [];
  if (target.horizonMs <= 0) return { snapshot: await read(), record: { settled: true, waitedMs: 0, reads: 1 } };
  const crossChecked = since?.statements != null;
  // no statement ran since the last settled read (a /health that touches no table): nothing can be held back
  const statementsRan = (current: Snapshot) =>
    !crossChecked || !current.statements || [...statementDelta(since.statements!, current.statements).values()].some((entry) => entry.calls > 0);
  const horizonPassed = () => performance.now() - target.trafficEndedMs >= target.horizonMs;
  // backends are checked before the snapshot: what an exited or long-idle backend held is in it
  const published = new WeakSet<Snapshot>();
  const readChecked = async () => {
    const quiet = target.othersMayHold && !horizonPassed() ? (await target.othersMayHold()) === false : false;
    const snapshot = await read();
    if (quiet) published.add(snapshot);
    return snapshot;
  };
  const settled = await readUntilSettled(
    readChecked,
    // the publish horizon since the traffic ended has passed, and no scan the statements expect is missing
    // (without pg_stat_statements: two reads a publish interval apart agree); background traffic may keep
    // the counters moving, so agreement alone is not asked of a cross-checked read
    (previous, current) => (horizonPassed() || published.has(current) || !statementsRan(current)) && (crossChecked ? missing(previous).length === 0 && missing(current).length === 0 : sameTables(previous.tables, current.tables)),
    { intervalMs: crossChecked ? STATS_SETTLE_INTERVAL_MS : PUBLISH_INTERVAL_MS, deadlineMs, signal },
    (current) => {
      const short = missing(current);
      return short.length > 0
        ? `table scans not yet published by PostgreSQL: ${short.slice(0, 3).map((entry) => `${entry.table} ${entry.seen} of ${entry.expected}`).join(', ')}`
        : horizonPassed()
          ? 'table counters still changing'
          : 'PostgreSQL had not yet published every backend\'s counters';
    },
  );
  return { snapshot: settled.value, record: settled.record };
}
