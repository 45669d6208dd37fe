/**
 * Issue 3, "Findings and safety": faults give a finding or a reason, never a crash, each against
 * a real throw-away cluster: a server that accepts only TLS (`hostssl` lines in pg_hba.conf, a
 * self-signed certificate made here with openssl), the server restarted while the collector is
 * inside its sampling window, and a statement_timeout so low that the checks time out.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chown, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { collectPostgres, type PostgresCollectorOptions } from '../../../src/collectors/postgres/index.js';
import type { PostgresMetrics } from '../../../src/contracts/postgres.js';
import { systemClock, type Clock } from '../../../src/ports/clock.js';
import { realPostgresPort } from '../../../src/ports/postgres.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { runToReports } from '../../support/cli.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

const options = (url: string, change: Partial<PostgresCollectorOptions> = {}): PostgresCollectorOptions => ({
  targets: [{ name: 'shop', url }],
  sampleSeconds: 0.5,
  latencySamples: 5,
  topStatements: 10,
  session: { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 },
  signal: new AbortController().signal,
  ...change,
});

const rulesOver = (data: PostgresMetrics) => evaluateRules({ postgres: { status: 'ok', durationMs: 0, data } }, mergeThresholds({}));

/** A clock whose first sleep (the sampling window) runs `duringWindow` first. */
function windowClock(duringWindow: () => Promise<void>): Clock {
  let fired = false;
  return {
    ...systemClock,
    async sleep(ms, signal) {
      if (!fired) {
        fired = true;
        await duringWindow();
      }
      return systemClock.sleep(ms, signal);
    },
  };
}

async function pgCtl(server: PostgresServer, ...args: string[]): Promise<void> {
  const command = path.join(server.binDir, 'pg_ctl');
  const full = [command, '-D', server.dataDir, '-w', '-l', path.join(server.dataDir, 'server.log'), ...args];
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', ...full]);
  else await run(full[0]!, full.slice(1));
}

describe('a server that accepts only TLS connections', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
    await server.psql('CREATE DATABASE shop;');
    const key = path.join(server.dataDir, 'server.key');
    const crt = path.join(server.dataDir, 'server.crt');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', crt]);
    if (asRoot) {
      const { stdout: uid } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(key, Number(uid.trim()), Number(gid.trim()));
      await chown(crt, Number(uid.trim()), Number(gid.trim()));
    }
    // the test's own psql comes over TLS too (libpq's default sslmode is prefer)
    await writeFile(path.join(server.dataDir, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 trust\n');
    await server.psql("ALTER SYSTEM SET ssl = on; ALTER SYSTEM SET ssl_cert_file = 'server.crt'; ALTER SYSTEM SET ssl_key_file = 'server.key';");
    await server.psql('SELECT pg_reload_conf();');
    // the reload is asynchronous: wait until the server says TLS is on
    for (let i = 0; i < 50 && (await server.psql('SHOW ssl;')).trim() !== 'on'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await server.psql('SHOW ssl;')).trim()).toBe('on');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('a plain URL: a critical availability finding that says the server wants TLS and what to set', async () => {
    const { data } = await collectPostgres(realPostgresPort, systemClock, options(server.urlFor('shop')));
    const shop = data.databases[0]!;
    expect(shop.reachable).toBe(false);
    expect(shop.error).toMatch(/no pg_hba\.conf entry .* no encryption/);
    const finding = rulesOver(data).findings.find((f) => f.ruleId === 'postgres-unreachable');
    expect(finding).toMatchObject({ severity: 'critical', category: 'availability', subject: 'postgres:database:shop' });
    expect(finding!.recommendation).toMatch(/TLS/);
    expect(finding!.recommendation).toMatch(/sslmode=require/);
  });

  test('?sslmode=require: the session opens over TLS and the checks run', async () => {
    const { data } = await collectPostgres(realPostgresPort, systemClock, options(`${server.urlFor('shop')}?sslmode=require`));
    const shop = data.databases[0]!;
    expect(shop.error).toBeUndefined();
    expect(shop.reachable).toBe(true);
    expect(shop.stats).toBeDefined();
    // pg_hba.conf has only hostssl lines: a session that opened is a TLS session
    expect(rulesOver(data).findings.filter((f) => f.ruleId === 'postgres-unreachable')).toEqual([]);
  });

  test('the CLI with a plain URL and a password: exit 1, the finding in the report, the password nowhere', async () => {
    const secret = 'Tls-Pw-77x';
    const { result, texts, report } = await runToReports(['--database-url', `postgres://postgres:${secret}@127.0.0.1:${server.port}/shop`, '--sample-seconds', '0.3']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(1);
    const finding = report.findings.find((f) => f.ruleId === 'postgres-unreachable')!;
    expect(finding).toMatchObject({ severity: 'critical', subject: 'postgres:database:shop' });
    expect(finding.recommendation).toMatch(/sslmode=require/);
    for (const text of [...texts, result.stdout, result.stderr]) expect(text).not.toContain(secret);
  }, 60_000);
});

describe('faults during the run', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
    await server.psql('CREATE DATABASE shop;');
    await server.psql(
      `
      CREATE EXTENSION pg_stat_statements;
      CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL);
      INSERT INTO orders (customer_id, total) SELECT g % 500, g % 97 FROM generate_series(1, 20000) g;
      CREATE INDEX orders_customer_id_idx ON orders (customer_id);
      ANALYZE;
      `,
      'shop',
    );
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('the server restarted inside the sampling window: the run ends, the reason is reported, no crash', async () => {
    const clock = windowClock(() => pgCtl(server, '-m', 'fast', 'restart'));
    const result = await collectPostgres(realPostgresPort, clock, options(server.urlFor('shop')));
    const shop = result.data.databases[0]!;
    // what was read before the restart stays; the end-of-window read says what happened
    expect(shop.reachable).toBe(true);
    expect(shop.tables?.map((table) => table.name)).toEqual(['public.orders']);
    expect(shop.stats).toBeUndefined();
    expect(shop.error).toMatch(/the server shut down or restarted during the run \(.*terminating connection due to administrator command\)/);
    expect(shop.notVisible).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'remaining checks', reason: shop.error })]));
    const findings = rulesOver(result.data).findings;
    const notVisible = findings.find((f) => f.ruleId === 'postgres-not-visible' && f.subject === 'postgres:database:shop');
    expect(notVisible?.message).toContain('remaining checks');
    // and the server is back: the next run measures normally
    const again = await collectPostgres(realPostgresPort, systemClock, options(server.urlFor('shop')));
    expect(again.data.databases[0]).toMatchObject({ reachable: true });
    expect(again.data.databases[0]!.error).toBeUndefined();
  }, 60_000);

  test('a 1 ms statement timeout: the checks that time out are reported as not measured, with the reason; no crash', async () => {
    const result = await collectPostgres(
      realPostgresPort,
      systemClock,
      options(server.urlFor('shop'), { session: { statementTimeoutMs: 1, lockTimeoutMs: 1, connectTimeoutMs: 3000 } }),
    );
    const shop = result.data.databases[0]!;
    expect(shop.reachable).toBe(true);
    const reasons = [...shop.notVisible, ...result.data.servers.flatMap((s) => s.notVisible)].map((item) => item.reason);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.some((reason) => /statement timeout.*raise database\.statementTimeoutMs/.test(reason))).toBe(true);
    const findings = rulesOver(result.data).findings;
    expect(findings.some((f) => f.ruleId === 'postgres-not-visible' && /statement timeout/.test(f.message))).toBe(true);
    // Whether the very first catalog query beats 1 ms depends on how busy the machine is. Either way
    // nothing that was cancelled is presented as measured: when the first query is cancelled the
    // database says so and carries no figures; otherwise the cancelled checks are listed above.
    if (shop.error !== undefined) {
      expect(shop.error).toMatch(/^statement timeout \(query failed .*canceling statement due to statement timeout\)/);
      expect(shop.stats).toBeUndefined();
      expect(shop.tables).toBeUndefined();
    } else {
      expect(shop.notVisible.length + result.data.servers.flatMap((s) => s.notVisible).length).toBeGreaterThan(0);
    }
  }, 60_000);
});
