import { describe, expect, it } from '@jest/globals';
import { attributeWindow, backgroundPace, type Rates, type WindowInput } from '../../../src/collectors/diagnosis/attribute.js';
import type { StatementCounters, TableCounters } from '../../../src/collectors/diagnosis/snapshot.js';

const statement = (query: string, calls: number, totalMs: number): StatementCounters => ({ query, calls, totalMs, rows: calls, blksRead: 0, blksHit: 0 });
const table = (seqScan: number, seqTupRead: number): TableCounters => ({ seqScan, seqTupRead, idxScan: 0, liveRows: 40_000 });
const rates = (statements: Record<string, StatementCounters>, tables: Record<string, TableCounters>): Rates => ({
  statements: new Map(Object.entries(statements)),
  tables: new Map(Object.entries(tables)),
  redis: new Map(),
  hits: 0,
  misses: 0,
});

// the background: a report query scanning users 10 times a second (40,000 rows each)
const control = rates({ report: statement("SELECT count(*) FROM users WHERE bio LIKE $1", 20, 400) }, { 'public.users': table(20, 800_000) });
const input = (window: Rates): WindowInput => ({
  name: 'GET /profile', method: 'GET', path: '/profile', requests: 100, errors: 0, windowMs: 2000, concurrency: 2,
  latency: { p50Ms: 30, p95Ms: 60, meanMs: 35 }, window, control, controlMs: 2000,
  observedPostgres: true, observedRedis: false, indexedColumns: new Map([['public.users', ['id']]]), topQueries: 5,
});

describe('background subtraction', () => {
  it('the background at its control pace: its statement and its scans are subtracted, the endpoint keeps its own', () => {
    const window = rates(
      { report: statement('SELECT count(*) FROM users WHERE bio LIKE $1', 20, 400), profile: statement('SELECT * FROM users WHERE email = $1', 100, 3000) },
      { 'public.users': table(120, 4_800_000) },
    );
    expect(backgroundPace(input(window))).toBe(1);
    const result = attributeWindow(input(window));
    expect(result.database!.topQueries.map((query) => query.queryId)).toEqual(['profile']);
    expect(result.database!.seqScannedTables[0]).toMatchObject({ table: 'public.users', seqScans: 100, rowsRead: 4_000_000 });
  });

  it('the background slowed down during the window (a loaded machine): only the scans it made are subtracted', () => {
    // the report ran 4 times instead of 20: scaling by time alone would subtract 20 scans of the endpoint's 100 + 4
    const window = rates(
      { report: statement('SELECT count(*) FROM users WHERE bio LIKE $1', 4, 300), profile: statement('SELECT * FROM users WHERE email = $1', 100, 3000) },
      { 'public.users': table(104, 4_160_000) },
    );
    expect(backgroundPace(input(window))).toBeCloseTo(0.2);
    expect(attributeWindow(input(window)).database!.seqScannedTables[0]).toMatchObject({ seqScans: 100, rowsRead: 4_000_000 });
  });

  it('the endpoint runs the background statement too: the pace is capped at the time-scaled expectation', () => {
    const window = rates({ report: statement('SELECT count(*) FROM users WHERE bio LIKE $1', 60, 1200) }, { 'public.users': table(60, 2_400_000) });
    expect(backgroundPace(input(window))).toBe(1);
    // no control statements (pg_stat_statements not readable): time scaling alone
    expect(backgroundPace({ ...input(window), control: rates({}, {}) })).toBe(1);
  });
});
