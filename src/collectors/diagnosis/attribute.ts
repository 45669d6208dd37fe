/**
 * Pure: from the snapshots around an endpoint window and the background rates of the control
 * window, what the endpoint's own traffic caused. Background expected over the window (rate x
 * window length) is subtracted per statement, per table and per Redis command, never below 0.
 */
import type { BackgroundRates, DiagnosisConfidence, EndpointDiagnosis, RedisCommandUse, ScannedTable, AttributedQuery } from '../../contracts/diagnosis.js';
import type { Snapshot, StatementCounters, TableCounters } from './snapshot.js';

/** Our own INFO calls: not the application's. */
const OWN_REDIS_COMMANDS = new Set(['info']);
/** background above this share of a window's activity lowers the confidence to medium / low. Design choice (issue 8). */
export const BACKGROUND_MEDIUM_PERCENT = 10;
export const BACKGROUND_LOW_PERCENT = 30;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const positive = (value: number) => (value > 0 ? value : 0);

export interface Rates {
  statements: Map<string, StatementCounters>;
  tables: Map<string, TableCounters>;
  redis: Map<string, number>;
  hits: number;
  misses: number;
}

/** after - before, per key; keys new in `after` count from 0 */
export function statementDelta(before: Map<string, StatementCounters>, after: Map<string, StatementCounters>): Map<string, StatementCounters> {
  const out = new Map<string, StatementCounters>();
  for (const [id, now] of after) {
    const then = before.get(id);
    const delta = {
      query: now.query,
      calls: positive(now.calls - (then?.calls ?? 0)),
      totalMs: positive(now.totalMs - (then?.totalMs ?? 0)),
      rows: positive(now.rows - (then?.rows ?? 0)),
      blksRead: positive(now.blksRead - (then?.blksRead ?? 0)),
      blksHit: positive(now.blksHit - (then?.blksHit ?? 0)),
    };
    if (delta.calls > 0 || delta.totalMs > 0) out.set(id, delta);
  }
  return out;
}

export function tableDelta(before: Map<string, TableCounters>, after: Map<string, TableCounters>): Map<string, TableCounters> {
  const out = new Map<string, TableCounters>();
  for (const [name, now] of after) {
    const then = before.get(name);
    out.set(name, {
      seqScan: positive(now.seqScan - (then?.seqScan ?? 0)),
      seqTupRead: positive(now.seqTupRead - (then?.seqTupRead ?? 0)),
      idxScan: positive(now.idxScan - (then?.idxScan ?? 0)),
      liveRows: now.liveRows,
    });
  }
  return out;
}

export function counterDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, now] of after) {
    if (OWN_REDIS_COMMANDS.has(name)) continue;
    const delta = positive(now - (before.get(name) ?? 0));
    if (delta > 0) out.set(name, delta);
  }
  return out;
}

/** The deltas between two snapshots, per second of the interval: the background rates of the control window. */
export function deltasOf(before: Snapshot, after: Snapshot): Rates {
  return {
    statements: before.statements && after.statements ? statementDelta(before.statements, after.statements) : new Map(),
    tables: before.tables && after.tables ? tableDelta(before.tables, after.tables) : new Map(),
    redis: before.redis && after.redis ? counterDelta(before.redis.commands, after.redis.commands) : new Map(),
    hits: before.redis && after.redis ? positive(after.redis.hits - before.redis.hits) : 0,
    misses: before.redis && after.redis ? positive(after.redis.misses - before.redis.misses) : 0,
  };
}

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

export function backgroundRates(control: Rates, windowMs: number): BackgroundRates {
  const seconds = windowMs / 1000;
  const per = (value: number) => (seconds > 0 ? round(value / seconds) : 0);
  return {
    windowMs: round(windowMs),
    dbCallsPerSecond: per(sum([...control.statements.values()].map((entry) => entry.calls))),
    dbMsPerSecond: per(sum([...control.statements.values()].map((entry) => entry.totalMs))),
    seqRowsPerSecond: per(sum([...control.tables.values()].map((entry) => entry.seqTupRead))),
    redisCommandsPerSecond: per(sum(control.redis.values())),
  };
}

export function confidenceOf(backgroundPercent: number): DiagnosisConfidence {
  if (backgroundPercent >= BACKGROUND_LOW_PERCENT) return 'low';
  if (backgroundPercent >= BACKGROUND_MEDIUM_PERCENT) return 'medium';
  return 'high';
}

export interface WindowInput {
  name: string;
  method: string;
  path: string;
  requests: number;
  errors: number;
  windowMs: number;
  concurrency: number;
  latency: { p50Ms: number | null; p95Ms: number | null; meanMs: number | null };
  /** deltas of the window */
  window: Rates;
  /** deltas of the control window and its length */
  control: Rates;
  controlMs: number;
  observedPostgres: boolean;
  observedRedis: boolean;
  indexedColumns: Map<string, string[]>;
  topQueries: number;
}

/** Expected background over the window: the control's delta scaled to the window's length. */
function scale(value: number, input: WindowInput): number {
  return input.controlMs > 0 ? (value * input.windowMs) / input.controlMs : 0;
}

/**
 * How busy the background was during the window relative to the control window: the calls its
 * statements (those of the control window) made in the window over their time-scaled expectation,
 * at most 1. On a loaded machine the background slows down while the endpoint is driven; scaling
 * by time alone would then subtract more table scans than it made and hide the endpoint's own.
 * Capped at 1 because the endpoint may run the same statements (then it cannot be told apart).
 */
export function backgroundPace(input: Pick<WindowInput, 'window' | 'control' | 'windowMs' | 'controlMs'>): number {
  let expected = 0;
  let seen = 0;
  for (const [id, background] of input.control.statements) {
    expected += input.controlMs > 0 ? (background.calls * input.windowMs) / input.controlMs : 0;
    seen += input.window.statements.get(id)?.calls ?? 0;
  }
  return expected > 0 ? Math.min(1, seen / expected) : 1;
}

export function attributeWindow(input: WindowInput): EndpointDiagnosis {
  const requests = Math.max(input.requests, 1);
  const notes: string[] = [];
  let observedTotal = 0;
  let backgroundTotal = 0;

  let database: EndpointDiagnosis['database'] = null;
  if (input.observedPostgres) {
    const queries: Array<Omit<AttributedQuery, 'sharePercent'>> = [];
    for (const [id, delta] of input.window.statements) {
      const background = input.control.statements.get(id);
      observedTotal += delta.totalMs;
      const expectedMs = background ? Math.min(delta.totalMs, scale(background.totalMs, input)) : 0;
      const expectedCalls = background ? Math.min(delta.calls, scale(background.calls, input)) : 0;
      backgroundTotal += expectedMs;
      const calls = delta.calls - expectedCalls;
      const totalMs = delta.totalMs - expectedMs;
      if (calls < 0.5 && totalMs < 0.001) continue;
      queries.push({
        queryId: id,
        query: delta.query,
        calls: round(calls, 1),
        totalMs: round(totalMs),
        callsPerRequest: round(calls / requests),
        msPerRequest: round(totalMs / requests),
        rowsPerCall: delta.calls > 0 ? round(delta.rows / delta.calls, 1) : 0,
        sharedBlocksRead: delta.blksRead,
        sharedBlocksHit: delta.blksHit,
      });
    }
    const totalMs = sum(queries.map((query) => query.totalMs));
    const calls = sum(queries.map((query) => query.calls));
    queries.sort((a, b) => b.totalMs - a.totalMs);
    const tables: ScannedTable[] = [];
    const pace = backgroundPace(input);
    for (const [table, delta] of input.window.tables) {
      const background = input.control.tables.get(table);
      const rowsRead = positive(delta.seqTupRead - (background ? scale(background.seqTupRead, input) * pace : 0));
      const seqScans = positive(delta.seqScan - (background ? scale(background.seqScan, input) * pace : 0));
      if (rowsRead < 1 || seqScans < 0.5) continue;
      tables.push({
        table,
        seqScans: round(seqScans, 1),
        rowsRead: Math.round(rowsRead),
        rowsReadPerRequest: round(rowsRead / requests, 1),
        indexScans: delta.idxScan,
        liveRows: delta.liveRows,
        indexedColumns: input.indexedColumns.get(table) ?? [],
      });
    }
    tables.sort((a, b) => b.rowsRead - a.rowsRead);
    database = {
      totalMs: round(totalMs),
      msPerRequest: round(totalMs / requests),
      queriesPerRequest: round(calls / requests),
      latencySharePercent: input.latency.meanMs && input.latency.meanMs > 0 ? round(((totalMs / requests) / input.latency.meanMs) * 100, 1) : null,
      topQueries: queries.slice(0, input.topQueries).map((query) => ({ ...query, sharePercent: totalMs > 0 ? round((query.totalMs / totalMs) * 100, 1) : 0 })),
      seqScannedTables: tables.slice(0, 10),
    };
  } else notes.push('PostgreSQL not observed: database time not attributed');

  let redis: EndpointDiagnosis['redis'] = null;
  if (input.observedRedis) {
    const commands: RedisCommandUse[] = [];
    let windowCommands = 0;
    let backgroundCommands = 0;
    for (const [command, calls] of input.window.redis) {
      const expected = Math.min(calls, scale(input.control.redis.get(command) ?? 0, input));
      windowCommands += calls;
      backgroundCommands += expected;
      const own = calls - expected;
      if (own >= 0.5) commands.push({ command, calls: round(own, 1), perRequest: round(own / requests) });
    }
    commands.sort((a, b) => b.calls - a.calls);
    const hits = positive(input.window.hits - scale(input.control.hits, input));
    const misses = positive(input.window.misses - scale(input.control.misses, input));
    redis = {
      commandsPerRequest: round(sum(commands.map((command) => command.calls)) / requests),
      commands: commands.slice(0, 10),
      hits: Math.round(hits),
      misses: Math.round(misses),
      hitRatioPercent: hits + misses > 0 ? round((hits / (hits + misses)) * 100, 1) : null,
      missesPerRequest: round(misses / requests),
    };
    // Redis background weighs in only when the database says nothing
    if (!input.observedPostgres) {
      observedTotal += windowCommands;
      backgroundTotal += backgroundCommands;
    }
  } else notes.push('Redis not observed: cache commands not attributed');

  const backgroundPercent = observedTotal > 0 ? round((backgroundTotal / observedTotal) * 100, 1) : 0;
  if (input.requests === 0) notes.push('no request completed in the window');
  return {
    name: input.name,
    method: input.method,
    path: input.path,
    requests: input.requests,
    errors: input.errors,
    windowMs: round(input.windowMs),
    concurrency: input.concurrency,
    latencyP50Ms: input.latency.p50Ms,
    latencyP95Ms: input.latency.p95Ms,
    latencyMeanMs: input.latency.meanMs,
    database,
    redis,
    backgroundPercent,
    confidence: input.requests < 10 ? 'low' : confidenceOf(backgroundPercent),
    notes,
  };
}
