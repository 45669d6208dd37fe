/**
 * The PostgreSQL collector and rules against a real throw-away server seeded with each condition
 * a check must detect (issue 3): every one must come out with the right subject and severity.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { collectPostgres, type PostgresCollectorOptions } from '../../../src/collectors/postgres/index.js';
import type { PostgresMetrics } from '../../../src/contracts/postgres.js';
import type { Finding } from '../../../src/contracts/finding.js';
import { systemClock } from '../../../src/ports/clock.js';
import { realPostgresPort } from '../../../src/ports/postgres.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds, type ThresholdOverrides } from '../../../src/rules/thresholds.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const SESSION = { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 };
const options = (targets: PostgresCollectorOptions['targets'], sampleSeconds = 0.3): PostgresCollectorOptions => ({
  targets,
  sampleSeconds,
  latencySamples: 10,
  topStatements: 10,
  session: SESSION,
  signal: new AbortController().signal,
});

/** Thresholds lowered only where the real ones need hours or gigabytes; sizes and times below stay honest. */
const TEST_THRESHOLDS: ThresholdOverrides = {
  unusedIndexBytes: { warning: 100_000 },
  idleInTransactionSeconds: { warning: 0.5 },
  longQuerySeconds: { warning: 0.5 },
  statementMeanMs: { warning: 20, minCalls: 5 },
};

function findingsOf(metrics: PostgresMetrics, overrides: ThresholdOverrides = TEST_THRESHOLDS): Finding[] {
  return evaluateRules({ postgres: { status: 'ok', durationMs: 0, data: metrics } }, mergeThresholds(overrides)).findings;
}

const find = (findings: Finding[], ruleId: string, subject: string) =>
  findings.filter((finding) => finding.ruleId === ruleId && finding.subject === subject);

async function clientFor(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'seed-app' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('PostgreSQL collector on a seeded server', () => {
  let server: PostgresServer;
  const clients: pg.Client[] = [];
  let metrics: PostgresMetrics;
  let findings: Finding[];
  let blockedQuery: Promise<unknown>;

  beforeAll(async () => {
    // 20 usable connections: max_connections 23 - 3 reserved for superusers
    server = await startPostgres({ settings: { max_connections: 23, superuser_reserved_connections: 3 } });
    await server.psql('CREATE DATABASE shop; CREATE DATABASE blank;');
    await server.psql(`
      CREATE EXTENSION pg_stat_statements;
      CREATE TABLE orders (id serial PRIMARY KEY, customer_id int, note text, status text);
      INSERT INTO orders (customer_id, note, status) SELECT g % 1000, md5(g::text), 'new' FROM generate_series(1, 20000) g;
      CREATE INDEX orders_note_idx ON orders (note);
      CREATE TABLE customers (id int PRIMARY KEY, email text, region text);
      INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'eu' FROM generate_series(1, 200) g;
      CREATE INDEX customers_email_idx ON customers (email);
      CREATE INDEX customers_email_region_idx ON customers (email, region);
      CREATE TABLE coupons (code text);
      INSERT INTO coupons VALUES ('A'), ('A'), ('B');
      CREATE TABLE tickets (id int);
      CREATE SEQUENCE tickets_id_seq OWNED BY tickets.id;
      ALTER TABLE tickets ALTER COLUMN id SET DEFAULT nextval('tickets_id_seq');
      SELECT setval('tickets_id_seq', 2100000000);
      CREATE TABLE events (id int, payload text) WITH (autovacuum_enabled = off);
      INSERT INTO events SELECT g, 'x' FROM generate_series(1, 30000) g;
      DELETE FROM events WHERE id <= 15000;
      ANALYZE;
    `, 'shop');
    // an invalid index: CREATE UNIQUE INDEX CONCURRENTLY fails on the duplicates and leaves it behind
    await expect(server.psql('CREATE UNIQUE INDEX CONCURRENTLY coupons_code_key ON coupons (code);', 'shop')).rejects.toThrow();
    // sequential scans on the 20,000-row table; a slow statement (30 ms x 8)
    await server.psql(
      [...Array.from({ length: 20 }, (_, i) => `SELECT count(*) FROM orders WHERE customer_id = ${i};`), ...Array.from({ length: 8 }, () => 'SELECT pg_sleep(0.03);')].join('\n'),
      'shop',
    );

    const shopUrl = server.urlFor('shop');
    // idle in transaction holding a lock, and a query blocked behind it
    const holder = await clientFor(shopUrl);
    clients.push(holder);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE');
    const waiter = await clientFor(shopUrl);
    clients.push(waiter);
    blockedQuery = waiter.query("UPDATE customers SET region = 'us' WHERE id = 1").catch(() => undefined);
    // connections near the limit: 2 above + 15 idle + the collector's 1 = 18 of 20 usable (90 %)
    for (let i = 0; i < 15; i++) clients.push(await clientFor(server.urlFor('postgres')));
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const result = await collectPostgres(realPostgresPort, systemClock, options([{ name: 'shop', url: shopUrl }, { name: 'blank', url: server.urlFor('blank') }]));
    metrics = result.data;
    findings = findingsOf(metrics);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await blockedQuery;
    await server?.stop();
  });

  test('measures the server and both databases', () => {
    expect(metrics.servers).toHaveLength(1);
    const instance = metrics.servers[0]!;
    expect(instance.versionNum).toBeGreaterThanOrEqual(120000);
    expect(instance.latency.samples).toBe(10);
    expect(instance.latency.p99Ms).toBeGreaterThanOrEqual(instance.latency.p50Ms);
    expect(instance.checkpoints).not.toBeNull();
    expect(instance.xidAge.map((entry) => entry.database)).toEqual(expect.arrayContaining(['shop', 'blank', 'postgres']));
    expect(metrics.databases.map((database) => [database.name, database.reachable])).toEqual([['shop', true], ['blank', true]]);
    const shop = metrics.databases[0]!;
    expect(shop.stats?.windowMs).toBeGreaterThanOrEqual(250);
    expect(shop.privileges?.superuser).toBe(true);
    expect(shop.statements?.totalCalls).toBeGreaterThan(0);
  });

  test('the profiler sessions are read-only, named, and at most two per server', () => {
    const ours = metrics.servers[0]!.connections.byApplication.find((entry) => entry.key === 'perf-analyze');
    expect(ours?.count).toBeGreaterThanOrEqual(1);
    expect(ours?.count).toBeLessThanOrEqual(2);
  });

  test('missing index: sequential scans on the 20,000-row table', () => {
    expect(find(findings, 'postgres-missing-index', 'postgres:table:public.orders').map((f) => f.severity)).toEqual(['warning']);
  });

  test('unused index (size threshold lowered to 100 kB)', () => {
    const [finding] = find(findings, 'postgres-unused-index', 'postgres:index:public.orders_note_idx');
    expect(finding?.severity).toBe('warning');
    expect(finding?.recommendation).toContain('DROP INDEX CONCURRENTLY public.orders_note_idx');
  });

  test('duplicate index', () => {
    const [finding] = find(findings, 'postgres-duplicate-index', 'postgres:index:public.customers_email_idx');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('public.customers_email_region_idx');
    expect(find(findings, 'postgres-duplicate-index', 'postgres:index:public.customers_email_region_idx')).toEqual([]);
  });

  test('invalid index', () => {
    expect(find(findings, 'postgres-invalid-index', 'postgres:index:public.coupons_code_key').map((f) => f.severity)).toEqual(['warning']);
  });

  test('sequence near the max of its integer column: critical', () => {
    const [finding] = find(findings, 'postgres-sequence-exhaustion', 'postgres:sequence:public.tickets_id_seq');
    expect(finding?.severity).toBe('critical');
    expect(finding?.recommendation).toContain('bigint');
  });

  test('dead tuples', () => {
    expect(find(findings, 'postgres-dead-tuples', 'postgres:table:public.events').map((f) => f.severity)).toEqual(['warning']);
  });

  test('table bloat: half of events deleted and not vacuumed (threshold lowered to 200 kB; the default is check_postgres\'s 1 GB)', () => {
    const events = metrics.databases.find((database) => database.name === 'shop')!.tables!.find((table) => table.name === 'public.events')!;
    // 15,000 of 30,000 rows deleted, ANALYZEd, never vacuumed: about half the heap is waste
    expect(events.bloatBytes!).toBeGreaterThan(events.sizeBytes * 0.3);
    expect(events.bloatBytes!).toBeLessThan(events.sizeBytes * 0.7);
    const bloat = findingsOf(metrics, { ...TEST_THRESHOLDS, tableBloatBytes: { warning: 200_000 } }).filter((f) => f.ruleId === 'postgres-table-bloat');
    expect(bloat.filter((f) => f.subject === 'postgres:table:public.events').map((f) => f.severity)).toEqual(['warning']);
    expect(bloat.find((f) => f.subject === 'postgres:table:public.events')!.recommendation).toContain('pg_repack --table=public.events');
    expect(find(findingsOf(metrics), 'postgres-table-bloat', 'postgres:table:public.events')).toEqual([]);
  });

  test('idle in transaction (threshold lowered to 0.5 s), blocked query with its blocker, long-running', () => {
    const holderPid = metrics.databases[0]!.activity!.idleInTransaction[0]?.pid;
    expect(holderPid).toBeDefined();
    expect(find(findings, 'postgres-idle-in-transaction', `postgres:session:${holderPid}`).map((f) => f.severity)).toEqual(['warning']);
    const blocked = findings.filter((finding) => finding.ruleId === 'postgres-blocked-queries');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.severity).toBe('warning');
    expect(blocked[0]!.message).toContain(`pid ${holderPid}`);
    expect(blocked[0]!.recommendation).toContain(`pg_terminate_backend(${holderPid})`);
    expect(findings.some((finding) => finding.ruleId === 'postgres-long-running-query' && finding.subject === blocked[0]!.subject)).toBe(true);
  });

  test('slow statement from pg_stat_statements, named by its queryid', () => {
    const slow = findings.filter((finding) => finding.ruleId === 'postgres-slow-statements');
    expect(slow.length).toBeGreaterThanOrEqual(1);
    const sleep = slow.find((finding) => finding.message.includes('pg_sleep'));
    expect(sleep?.subject).toMatch(/^postgres:query:-?\d+$/);
    expect(sleep?.severity).toBe('warning');
  });

  test('connections near max_connections minus reserved', () => {
    const [finding] = find(findings, 'postgres-connections', 'postgres:instance');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toMatch(/of 20 usable connections/);
  });

  test('a database without the extension gets the info finding that says how to enable it', () => {
    const [finding] = find(findings, 'postgres-statements-missing', 'postgres:database:blank');
    expect(finding?.severity).toBe('info');
    expect(finding?.recommendation).toContain('CREATE EXTENSION pg_stat_statements');
    expect(find(findings, 'postgres-statements-missing', 'postgres:database:shop')).toEqual([]);
  });

  test('default thresholds: the short-lived conditions stay quiet', () => {
    const defaults = findingsOf(metrics, {});
    expect(defaults.filter((finding) => finding.ruleId === 'postgres-idle-in-transaction')).toEqual([]);
    expect(defaults.filter((finding) => finding.ruleId === 'postgres-unused-index')).toEqual([]);
  });
});

describe('PostgreSQL faults and privileges', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
    await server.psql(`CREATE DATABASE app; CREATE ROLE lowly LOGIN PASSWORD 'lowly-pw';`);
    await server.psql(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements; CREATE TABLE items (id int); GRANT SELECT ON items TO lowly;`, 'app');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('unreachable database and a missing one: critical availability findings, no crash, no password anywhere', async () => {
    const secret = 'sekret-Pa55word';
    const closed = `postgres://app:${secret}@127.0.0.1:1/app`;
    const missing = `postgres://postgres:${secret}@127.0.0.1:${server.port}/no_such_db`;
    const { data } = await collectPostgres(realPostgresPort, systemClock, options([{ name: 'down', url: closed }, { name: 'ghost', url: missing }]));
    expect(data.databases.map((database) => database.reachable)).toEqual([false, false]);
    expect(data.databases[1]!.error).toMatch(/does not exist/);
    const findings = findingsOf(data);
    expect(find(findings, 'postgres-unreachable', 'postgres:database:down').map((f) => [f.severity, f.category])).toEqual([['critical', 'availability']]);
    expect(find(findings, 'postgres-unreachable', 'postgres:database:ghost').map((f) => f.severity)).toEqual(['critical']);
    const everything = JSON.stringify({ data, findings });
    expect(everything).not.toContain(secret);
    expect(everything).toContain('postgres://app@127.0.0.1:1/app');
  });

  test('a role without monitoring privileges: the checks it can see, and which it cannot and why', async () => {
    const url = `postgres://lowly:lowly-pw@127.0.0.1:${server.port}/app`;
    const { data } = await collectPostgres(realPostgresPort, systemClock, options([{ name: 'app', url }]));
    const app = data.databases[0]!;
    expect(app.reachable).toBe(true);
    expect(app.privileges).toMatchObject({ role: 'lowly', superuser: false, readAllStats: false });
    expect(app.tables?.map((table) => table.name)).toContain('public.items');
    expect(app.stats).toBeDefined();
    expect(app.notVisible.map((item) => item.reason).join(' ')).toMatch(/pg_read_all_stats.*GRANT pg_monitor TO lowly/);
    const findings = findingsOf(data);
    const [notVisible] = find(findings, 'postgres-not-visible', 'postgres:database:app');
    expect(notVisible?.severity).toBe('info');
    expect(notVisible?.recommendation).toContain('GRANT pg_monitor');
    expect(JSON.stringify({ data, findings })).not.toContain('lowly-pw');
  });

  test('at most two sessions per server with three databases', async () => {
    await server.psql('CREATE DATABASE one; CREATE DATABASE two;');
    const seen: number[] = [];
    const watcher = await clientFor(server.url);
    const poll = setInterval(() => {
      watcher
        .query("select count(*)::int as n from pg_stat_activity where application_name = 'perf-analyze'")
        .then((result) => seen.push(result.rows[0].n as number))
        .catch(() => undefined);
    }, 20);
    try {
      const { data } = await collectPostgres(
        realPostgresPort,
        systemClock,
        options(['app', 'one', 'two'].map((name) => ({ name, url: server.urlFor(name) })), 0.4),
      );
      expect(data.databases.every((database) => database.reachable)).toBe(true);
    } finally {
      clearInterval(poll);
      await watcher.end();
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(1);
  });

  test('sessions are read-only', async () => {
    const session = await realPostgresPort.connect(server.urlFor('app'), SESSION);
    try {
      await expect(session.query('CREATE TABLE nope (id int)')).rejects.toThrow(/read-only transaction/);
      const [row] = await session.query<{ app: string; st: string; lt: string }>(
        "select current_setting('application_name') as app, current_setting('statement_timeout') as st, current_setting('lock_timeout') as lt",
      );
      expect(row).toEqual({ app: 'perf-analyze', st: '5s', lt: '1s' });
    } finally {
      await session.close();
    }
  });
});
