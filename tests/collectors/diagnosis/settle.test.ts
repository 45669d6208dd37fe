import { describe, expect, it } from '@jest/globals';
import { publishHorizonMs, settledSnapshot, tablesRead, unpublishedScans } from '../../../src/collectors/diagnosis/settle.js';
import type { Snapshot, StatementCounters, TableCounters } from '../../../src/collectors/diagnosis/snapshot.js';

const statement = (query: string, calls: number): StatementCounters => ({ query, calls, totalMs: calls, rows: calls, blksRead: 0, blksHit: 0 });
const table = (seqScan: number, idxScan = 0): TableCounters => ({ seqScan, seqTupRead: seqScan * 100, idxScan, liveRows: 100 });

describe('tablesRead', () => {
  it.each([
    ['SELECT * FROM users WHERE email = $1', ['users']],
    ['select o.id from public.orders o join "Order Items" i on i.order_id = o.id', ['public.orders', 'Order Items']],
    ['UPDATE accounts SET balance = balance - $1 WHERE id = $2', ['accounts']],
    ['DELETE FROM sessions WHERE expires_at < now()', ['sessions']],
    ['INSERT INTO audit (at) VALUES ($1)', []],
    ['SELECT count(*) FROM generate_series($1, $2)', ['generate_series']],
    ['SELECT $1', []],
  ])('%s', (query, tables) => {
    expect(tablesRead(query)).toEqual(tables);
  });
});

describe('unpublishedScans', () => {
  const tables = new Map([['public.users', table(0)], ['public.orders', table(0)], ['audit.users', table(0)]]);
  it('a table read by finished statements with fewer scans than their calls is not yet published', () => {
    const statements = new Map([['q1', statement('SELECT * FROM public.users WHERE id = $1', 100)], ['q2', statement('SELECT * FROM orders', 10)]]);
    const deltas = new Map([['public.users', table(40, 20)], ['public.orders', table(10)]]);
    expect(unpublishedScans(statements, deltas)).toEqual([{ table: 'public.users', expected: 100, seen: 60 }]);
    expect(unpublishedScans(statements, new Map([['public.users', table(5, 95)], ['public.orders', table(30)]]))).toEqual([]);
  });
  it('an unqualified name two schemas share, a view or a function: no expectation', () => {
    const statements = new Map([['q', statement('SELECT * FROM users', 50)], ['v', statement('SELECT * FROM active_users_view', 5)]]);
    expect(unpublishedScans(statements, tables)).toEqual([]);
  });
});

describe('settledSnapshot', () => {
  const signal = new AbortController().signal;
  const snapshot = (calls: number, scans: number): Snapshot => ({
    atMs: performance.now(),
    statements: new Map([['q', statement('SELECT * FROM users WHERE email = $1', calls)]]),
    tables: new Map([['public.users', table(scans)]]),
    redis: null,
  });

  it('waits for the publish horizon after the traffic and for the scans the statements expect', async () => {
    const since = snapshot(0, 0);
    // 200 calls finished; the server publishes 120 scans at once and the rest 400 ms later
    const published = performance.now() + 400;
    const read = async () => snapshot(200, performance.now() < published ? 120 : 200);
    const outcome = await settledSnapshot(read, { since, trafficEndedMs: performance.now(), horizonMs: 600, signal });
    expect(outcome.record.settled).toBe(true);
    expect(outcome.record.waitedMs).toBeGreaterThanOrEqual(550);
    expect(outcome.snapshot.tables!.get('public.users')!.seqScan).toBe(200);
  });

  it('scans that never arrive: not settled at the deadline, with what is missing', async () => {
    const outcome = await settledSnapshot(async () => snapshot(200, 120), { since: snapshot(0, 0), trafficEndedMs: performance.now(), horizonMs: 100, signal, deadlineMs: 700 });
    expect(outcome.record.settled).toBe(false);
    expect(outcome.record.reason).toMatch(/^table scans not yet published by PostgreSQL: public.users 120 of 200 after 0\.\d s$/);
  });

  it('no statement ran since the last settled read: no wait for the horizon', async () => {
    const since = snapshot(10, 10);
    const outcome = await settledSnapshot(async () => snapshot(10, 10), { since, trafficEndedMs: performance.now(), horizonMs: 60_000, signal });
    expect(outcome.record).toMatchObject({ settled: true, reads: 2 });
    expect(outcome.record.waitedMs).toBeLessThan(5000);
  });

  it('every other backend exited or idle past the horizon: settled before the horizon; unknown backends: the horizon is waited for', async () => {
    const since = snapshot(0, 0);
    const read = async () => snapshot(200, 200);
    // the application's backends exit 300 ms after the traffic (a pool with a short idle timeout)
    const exited = performance.now() + 300;
    const early = await settledSnapshot(read, { since, trafficEndedMs: performance.now(), horizonMs: 60_000, othersMayHold: async () => performance.now() < exited, signal });
    expect(early.record.settled).toBe(true);
    expect(early.record.waitedMs).toBeGreaterThanOrEqual(250);
    expect(early.record.waitedMs).toBeLessThan(5000);
    // a backend's state hidden from us: nothing concluded, the horizon (here 800 ms) is waited for
    const hidden = await settledSnapshot(read, { since, trafficEndedMs: performance.now(), horizonMs: 800, othersMayHold: async () => null, signal });
    expect(hidden.record.waitedMs).toBeGreaterThanOrEqual(750);
  });

  it('PostgreSQL 15 and later hold an idle backend\'s counters up to its idle interval; older servers publish every 500 ms', () => {
    expect(publishHorizonMs(150004)).toBe(10_500);
    expect(publishHorizonMs(140011)).toBe(1_100);
  });
});
