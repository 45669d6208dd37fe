/**
 * Statements with their plans and index advice on a real server: one database with HypoPG installed
 * (advice verified by the planner) and one without (unverified, by pg_stats selectivity), seeded alike.
 * Also the noise cases: tables whose only sequential scans built their indexes, a one-off bulk load,
 * a table scanned once, one slow call: none of them is a warning.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { collectPostgres } from '../../../src/collectors/postgres/index.js';
import { adviseStatements } from '../../../src/collectors/postgres/index-advice.js';
import { readUntilSettled } from '../../../src/collectors/settle.js';
import type { Finding } from '../../../src/contracts/finding.js';
import type { PostgresDatabaseMetrics, PostgresMetrics } from '../../../src/contracts/postgres.js';
import { systemClock } from '../../../src/ports/clock.js';
import { realPostgresPort } from '../../../src/ports/postgres.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const SESSION = { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 };
const CALLS = 200;

const SEED = `
  CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
  CREATE TABLE shop_orders (id serial PRIMARY KEY, customer_ref text NOT NULL, customer_id int NOT NULL, status text NOT NULL, note text);
  INSERT INTO shop_orders (customer_ref, customer_id, status, note) SELECT 'ref-' || g, g % 5000, (ARRAY['new','paid','sent'])[1 + g % 3], md5(g::text) FROM generate_series(1, 100000) g;
  CREATE INDEX shop_orders_customer_id_status_idx ON shop_orders (customer_id, status);
  CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, name text);
  INSERT INTO users (email, name) SELECT 'User' || g || '@Example.com', 'n' || g FROM generate_series(1, 50000) g;
  -- two columns of 100 values each, spread over every page: one column leaves 1,000 rows to fetch, the pair 10
  CREATE TABLE pairs (id int, a int, b int, pad text);
  INSERT INTO pairs SELECT g, g % 100, (g / 100) % 100, md5(g::text) FROM generate_series(1, 100000) g;
  -- only the scans that built its two indexes
  CREATE TABLE built_only (id int, code text);
  INSERT INTO built_only SELECT g, 'c' || g FROM generate_series(1, 20000) g;
  CREATE INDEX built_only_id_idx ON built_only (id);
  CREATE INDEX built_only_code_idx ON built_only (code);
  -- one sequential scan (a seed's read)
  CREATE TABLE scanned_once (id int, label text);
  INSERT INTO scanned_once SELECT g, 'l' || g FROM generate_series(1, 20000) g;
  SELECT count(*) FROM scanned_once WHERE label = 'l5';
  -- a one-off bulk load
  CREATE TABLE bulk_loaded (id int, payload text);
  INSERT INTO bulk_loaded SELECT g, md5(g::text) FROM generate_series(1, 30000) g;
  VACUUM ANALYZE;
`;

const WORKLOAD = [
  // the hot statement: a sequential scan of 100,000 rows filtered on an unindexed column
  ...Array.from({ length: CALLS }, (_, i) => `SELECT id, status FROM shop_orders WHERE customer_ref = 'ref-${(i * 7919) % 100000}';`),
  // served by the composite index (customer_id, status)
  ...Array.from({ length: CALLS }, (_, i) => `SELECT id FROM shop_orders WHERE customer_id = ${i} AND status = 'paid';`),
  // an OR over a covered column and an unindexed one: a sequential scan; customer_id must not be suggested
  ...Array.from({ length: 20 }, (_, i) => `SELECT count(*) FROM shop_orders WHERE customer_id = ${i} OR note = 'x${i}';`),
  // an expression: no plain index on email
  ...Array.from({ length: 40 }, (_, i) => `SELECT id FROM users WHERE lower(email) = 'user${i}@example.com';`),
  ...Array.from({ length: 20 }, (_, i) => `SELECT id FROM pairs WHERE a = ${i} AND b = ${i + 1};`),
  // one slow call: not a rate
  'SELECT pg_sleep(1.05);',
].join('\n');

async function seqScans(server: PostgresServer, database: string): Promise<string> {
  return server.psql("SELECT string_agg(relname || '=' || seq_scan, ',' ORDER BY relname) FROM pg_stat_user_tables;", database);
}

function findingsOf(metrics: PostgresMetrics): Finding[] {
  return evaluateRules({ postgres: { status: 'ok', durationMs: 0, data: metrics } }, mergeThresholds({})).findings;
}

describe('plans and index advice on a seeded server', () => {
  let server: PostgresServer;
  let withHypo: PostgresDatabaseMetrics;
  let without: PostgresDatabaseMetrics;
  let findings: Finding[];

  beforeAll(async () => {
    server = await startPostgres({ hypopg: ['shop'] });
    await server.psql('CREATE DATABASE plain;');
    for (const database of ['shop', 'plain']) await server.psql(SEED, database);
    // the seeding is not the application's workload: its statements' time would dilute every share (the reset is server-wide)
    await server.psql('SELECT pg_stat_statements_reset();');
    for (const database of ['shop', 'plain']) await server.psql(WORKLOAD, database);
    // table counters are published by the backends late (when idle up to ~10 s on 15): wait until two reads agree
    for (const database of ['shop', 'plain']) {
      const settled = await readUntilSettled(
        () => seqScans(server, database),
        (a, b) => a === b && /shop_orders=\d{3,}/.test(b),
        { intervalMs: 500, deadlineMs: 20_000, signal: new AbortController().signal },
      );
      expect(settled.record.settled).toBe(true);
    }
    const { data } = await collectPostgres(realPostgresPort, systemClock, {
      targets: [
        { name: 'shop', url: server.urlFor('shop') },
        { name: 'plain', url: server.urlFor('plain') },
      ],
      sampleSeconds: 0.3,
      latencySamples: 5,
      topStatements: 10,
      session: SESSION,
      signal: new AbortController().signal,
    });
    withHypo = data.databases.find((database) => database.name === 'shop')!;
    without = data.databases.find((database) => database.name === 'plain')!;
    findings = findingsOf(data);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const hot = (database: PostgresDatabaseMetrics) => database.queryPlans!.statements.find((s) => s.query.includes('customer_ref ='))!;

  test('the hot statement: calls, share, and a sequential scan of the 100,000-row table with its filter', () => {
    const statement = hot(withHypo);
    expect(statement).toBeDefined();
    expect(statement.calls).toBe(CALLS);
    expect(statement.sharePercent).toBeGreaterThan(20);
    expect(statement.window).toEqual(expect.objectContaining({ calls: 0 }));
    expect(['generic-plan', 'prepared-generic-plan']).toContain(statement.method);
    expect(statement.seqScannedTables).toEqual(['public.shop_orders']);
    expect(statement.problems[0]).toMatchObject({ kind: 'seq-scan', table: 'public.shop_orders' });
    expect(statement.problems[0]!.filter).toContain('customer_ref');
    expect(statement.problems[0]!.tableRows).toBeGreaterThan(90_000);
  });

  test('with HypoPG: the exact CREATE INDEX, verified by the planner (cost at least halved), with its size', () => {
    expect(withHypo.queryPlans!.hypopg).toBe(true);
    const advice = withHypo.queryPlans!.advice.find((a) => a.statements.some((s) => s.queryId === hot(withHypo).queryId))!;
    expect(advice).toMatchObject({ status: 'verified', table: 'public.shop_orders', columns: ['customer_ref'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)' });
    const costs = advice.statements[0]!;
    expect(costs.costAfter! * 2).toBeLessThanOrEqual(costs.costBefore!);
    expect(advice.sizeBytes).toBeGreaterThan(0);
    // the session's hypothetical indexes were dropped again: nothing is left behind
    expect(withHypo.indexes!.map((index) => index.name)).not.toContain(expect.stringContaining('btree'));
  });

  test('a column an existing composite index leads with is not suggested, and says why', () => {
    for (const database of [withHypo, without]) {
      expect(database.queryPlans!.advice.filter((a) => a.columns[0] === 'customer_id')).toEqual([]);
      expect(database.queryPlans!.skipped).toContainEqual({ table: 'public.shop_orders', column: 'customer_id', reason: 'covered by index public.shop_orders_customer_id_status_idx' });
    }
  });

  test('an expression (lower(email)) gets no plain index on the column', () => {
    for (const database of [withHypo, without]) {
      const users = database.queryPlans!.statements.find((s) => s.query.includes('lower(email)'))!;
      expect(users.seqScannedTables).toEqual(['public.users']);
      expect(database.queryPlans!.advice.filter((a) => a.table === 'public.users')).toEqual([]);
      expect(database.queryPlans!.skipped.find((entry) => entry.table === 'public.users')!.reason).toContain('lower(email)');
    }
  });

  test('without HypoPG: the same columns, said to be unverified, ranked by pg_stats', () => {
    expect(without.queryPlans!.hypopg).toBe(false);
    const advice = without.queryPlans!.advice.find((a) => a.statements.some((s) => s.queryId === hot(without).queryId))!;
    expect(advice).toMatchObject({ status: 'unverified', columns: ['customer_ref'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)' });
    expect(advice.estimatedRows).toBeLessThanOrEqual(50);
  });

  test('two columns where one is not enough: verified with HypoPG, and by pg_stats without it', () => {
    for (const database of [withHypo, without]) {
      const advice = database.queryPlans!.advice.filter((a) => a.table === 'public.pairs');
      expect(advice.map((a) => [a.status, [...a.columns].sort().join(',')])).toEqual([[database === withHypo ? 'verified' : 'unverified', 'a,b']]);
    }
    const verified = withHypo.queryPlans!.advice.find((a) => a.table === 'public.pairs')!;
    expect(verified.statements[0]!.costAfter! * 2).toBeLessThanOrEqual(verified.statements[0]!.costBefore!);
  });

  test('the query finding names the statement, its share, the plan problem and the verified fix', () => {
    const finding = findings.find((f) => f.ruleId === 'postgres-query-plan' && f.subject === `postgres:query:${hot(withHypo).queryId}`)!;
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('sequential scan of public.shop_orders');
    expect(finding.recommendation).toMatch(/^CREATE INDEX CONCURRENTLY ON public\.shop_orders \(customer_ref\): planner cost [\d,]+ -> [\d,]+ with a hypothetical index/);
    const plain = findings.find((f) => f.ruleId === 'postgres-query-plan' && f.subject === `postgres:query:${hot(without).queryId}` && f.message.includes('database plain'))!;
    expect(plain.recommendation).toContain('(unverified: HypoPG is not installed');
  });

  test('the missing-index finding names the same columns, never a placeholder', () => {
    const tables = findings.filter((f) => f.ruleId === 'postgres-missing-index');
    expect(tables.map((f) => f.subject).sort()).toEqual([
      'postgres:table:public.pairs',
      'postgres:table:public.pairs',
      'postgres:table:public.shop_orders',
      'postgres:table:public.shop_orders',
      'postgres:table:public.users',
      'postgres:table:public.users',
    ]);
    for (const finding of tables.filter((f) => f.subject.endsWith('shop_orders'))) expect(finding.recommendation).toContain('CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)');
    for (const finding of tables) expect(finding.recommendation).not.toContain('<column>');
  });

  test('no warning for index builds, a one-off bulk load, a table scanned once, or one slow call', () => {
    const loud = findings.filter((f) => f.severity !== 'info');
    for (const table of ['built_only', 'scanned_once', 'bulk_loaded']) expect(loud.filter((f) => f.subject === `postgres:table:public.${table}`)).toEqual([]);
    expect(loud.filter((f) => f.ruleId === 'postgres-slow-queries-per-hour')).toEqual([]);
    expect(withHypo.statements!.slowCalls).toBe(1);
    expect(withHypo.statements!.slowCallsPerHour.value).toBe(1);
  });

  test('database.explainAnalyze: a SELECT without parameters is executed (actual rows); one with parameters keeps its generic plan', async () => {
    const result = await adviseStatements(
      realPostgresPort,
      server.urlFor('shop'),
      SESSION,
      [
        { text: "SELECT count(*) FROM shop_orders WHERE note = 'abc'", queryId: 'constant' },
        { text: 'SELECT id FROM shop_orders WHERE customer_ref = $1', queryId: 'parameter' },
      ],
      { explainAnalyze: true },
    );
    const [constant, parameter] = result.statements;
    expect(constant!.method).toBe('explain-analyze');
    expect(constant!.problems[0]).toMatchObject({ kind: 'seq-scan', table: 'public.shop_orders', actualRows: 0 });
    expect(parameter!.method).toMatch(/generic-plan/);
  });

  test('a role that may not read the tables: the plans are said to be not visible, with the grant', async () => {
    await server.psql('CREATE ROLE watcher LOGIN; GRANT pg_monitor TO watcher;');
    const { data } = await collectPostgres(realPostgresPort, systemClock, {
      targets: [{ name: 'shop', url: server.urlFor('shop', 'watcher') }],
      sampleSeconds: 0.2,
      latencySamples: 2,
      topStatements: 5,
      session: SESSION,
      signal: new AbortController().signal,
    });
    const shop = data.databases[0]!;
    expect(shop.queryPlans!.statements.some((statement) => /permission denied/.test(statement.planError ?? ''))).toBe(true);
    expect(shop.notVisible.find((entry) => entry.check.startsWith('plans of'))!.reason).toContain('GRANT pg_read_all_data TO watcher');
  });

  test('the advice function for the diagnosis gives the same index for a named statement', async () => {
    const result = await adviseStatements(realPostgresPort, server.urlFor('shop'), SESSION, [{ text: 'SELECT id, status FROM shop_orders WHERE customer_ref = $1', queryId: 'q1', calls: 10 }]);
    expect(result.advice).toEqual([expect.objectContaining({ status: 'verified', createIndex: 'CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)' })]);
    const refused = await adviseStatements(realPostgresPort, server.urlFor('shop'), SESSION, [{ text: 'SELECT 1; DROP TABLE users', queryId: 'q2' }]);
    expect(refused.statements[0]!.planError).toContain('refused');
    expect(refused.advice).toEqual([]);
  });
});
