/**
 * Issue 3: a healthy, well-indexed database (freshly seeded, ANALYZEd, read through its indexes)
 * produces no warning or critical finding with the default thresholds; and a wrong password on a
 * server that asks for one (pg_hba.conf `scram-sha-256`) gives a clear finding whose text, like
 * the whole report and the CLI's output, never contains the password.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { collectPostgres, type PostgresCollectorOptions } from '../../../src/collectors/postgres/index.js';
import { systemClock } from '../../../src/ports/clock.js';
import { realPostgresPort } from '../../../src/ports/postgres.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { runToReports } from '../../support/cli.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const options = (targets: PostgresCollectorOptions['targets']): PostgresCollectorOptions => ({
  targets,
  sampleSeconds: 0.5,
  latencySamples: 10,
  topStatements: 10,
  session: { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 },
  signal: new AbortController().signal,
});

describe('a healthy database', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
    await server.psql('CREATE DATABASE shop;');
    await server.psql(
      `
      CREATE EXTENSION pg_stat_statements;
      CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, region text NOT NULL);
      INSERT INTO customers (email, region) SELECT 'c' || g || '@example.com', 'eu' FROM generate_series(1, 5000) g;
      CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total numeric NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO orders (customer_id, total) SELECT 1 + g % 5000, g % 97 FROM generate_series(1, 50000) g;
      CREATE INDEX orders_customer_id_idx ON orders (customer_id);
      VACUUM ANALYZE;
      `,
      'shop',
    );
    // the seeding is not the application's workload (a 50,000-row INSERT can take over a second on a
    // busy machine and would count as a slow statement): start the statement statistics afresh
    await server.psql('SELECT pg_stat_statements_reset();', 'shop');
    // the application's workload: every read goes through an index
    const reads = Array.from({ length: 200 }, (_, i) =>
      `SELECT count(*) FROM orders WHERE customer_id = ${1 + i}; SELECT id FROM customers WHERE email = 'c${1 + i}@example.com'; SELECT * FROM orders WHERE id = ${1 + i * 7};`,
    ).join('\n');
    await server.psql(`SET enable_seqscan = off;\n${reads}`, 'shop');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('no warning or critical finding with the default thresholds', async () => {
    const { data } = await collectPostgres(realPostgresPort, systemClock, options([{ name: 'shop', url: server.urlFor('shop') }]));
    const shop = data.databases[0]!;
    expect(shop.reachable).toBe(true);
    // the checks did run: the tables, indexes and statements are there to be judged
    expect(shop.tables?.map((table) => table.name).sort()).toEqual(['public.customers', 'public.orders']);
    expect(shop.indexes?.map((index) => index.name).sort()).toEqual(['public.customers_email_key', 'public.customers_pkey', 'public.orders_customer_id_idx', 'public.orders_pkey']);
    expect(shop.statements?.totalCalls).toBeGreaterThan(0);
    // the plans were read, and every read goes through an index: nothing to advise
    expect(shop.queryPlans?.statements.length).toBeGreaterThan(0);
    expect(shop.queryPlans?.statements.flatMap((statement) => statement.seqScannedTables)).toEqual([]);
    expect(shop.queryPlans?.advice).toEqual([]);
    const evaluation = evaluateRules({ postgres: { status: 'ok', durationMs: 0, data } }, mergeThresholds({}));
    const loud = evaluation.findings.filter((finding) => finding.severity !== 'info');
    expect(loud.map((finding) => `${finding.ruleId} ${finding.subject}: ${finding.message}`)).toEqual([]);
    // and the rules were evaluated, not skipped
    const passed = evaluation.results.filter((result) => result.outcome === 'passed').map((result) => result.ruleId);
    expect(passed).toEqual(expect.arrayContaining(['postgres-unreachable', 'postgres-missing-index', 'postgres-duplicate-index', 'postgres-unused-index', 'postgres-connections']));
  });
});

describe('a wrong password on a server with password authentication', () => {
  let server: PostgresServer;
  const RIGHT = 'Right-pw-4471';
  const WRONG = 'Wr0ng-pw-Zq9';

  beforeAll(async () => {
    server = await startPostgres();
    await server.psql(`CREATE ROLE app LOGIN PASSWORD '${RIGHT}'; CREATE DATABASE shop OWNER app;`);
    // the superuser keeps trust (the test's own psql); every other role needs its password
    const hba = path.join(server.dataDir, 'pg_hba.conf');
    const current = await readFile(hba, 'utf8');
    await writeFile(hba, `host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n${current}`);
    await server.psql('SELECT pg_reload_conf();');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('the right password opens a session (the server does ask for one)', async () => {
    const { data } = await collectPostgres(realPostgresPort, systemClock, options([{ name: 'shop', url: `postgres://app:${RIGHT}@127.0.0.1:${server.port}/shop` }]));
    expect(data.databases[0]!.reachable).toBe(true);
    expect(JSON.stringify(data)).not.toContain(RIGHT);
  });

  test('collector and rules: a critical availability finding that says authentication failed, without the password', async () => {
    const { data } = await collectPostgres(realPostgresPort, systemClock, options([{ name: 'shop', url: `postgres://app:${WRONG}@127.0.0.1:${server.port}/shop` }]));
    const shop = data.databases[0]!;
    expect(shop.reachable).toBe(false);
    expect(shop.error).toMatch(/password authentication failed for user "app"/);
    const { findings } = evaluateRules({ postgres: { status: 'ok', durationMs: 0, data } }, mergeThresholds({}));
    const finding = findings.find((f) => f.ruleId === 'postgres-unreachable');
    expect(finding).toMatchObject({ severity: 'critical', category: 'availability', subject: 'postgres:database:shop' });
    expect(finding!.message).toContain(`postgres://app@127.0.0.1:${server.port}/shop`);
    expect(finding!.recommendation).toMatch(/Authentication failed: check the user and password/);
    expect(JSON.stringify({ data, findings })).not.toContain(WRONG);
  });

  test('the CLI: exit 1, the finding in the report, the password nowhere (report, summary, stdout, stderr)', async () => {
    const { result, texts, report } = await runToReports(['--database-url', `postgres://app:${WRONG}@127.0.0.1:${server.port}/shop`, '--sample-seconds', '0.3']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(1);
    const finding = report.findings.find((f) => f.ruleId === 'postgres-unreachable')!;
    expect(finding).toMatchObject({ severity: 'critical', subject: 'postgres:database:shop' });
    expect(finding.message).toMatch(/password authentication failed/);
    for (const text of [...texts, result.stdout, result.stderr]) expect(text).not.toContain(WRONG);
  }, 60_000);
});
