import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { collectPgBouncer } from '../../../src/collectors/pgbouncer/index.js';
import type { Finding } from '../../../src/contracts/finding.js';
import type { PgBouncerMetrics } from '../../../src/contracts/postgres.js';
import { realPostgresPort } from '../../../src/ports/postgres.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { startPgBouncer, type PgBouncerServer } from '../../support/pgbouncer-server.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const SESSION = { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 };
const findingsOf = (data: PgBouncerMetrics): Finding[] =>
  evaluateRules({ pgbouncer: { status: 'ok', durationMs: 0, data } }, mergeThresholds()).findings;

describe('PgBouncer collector', () => {
  let postgres: PostgresServer;
  let bouncer: PgBouncerServer;
  const clients: pg.Client[] = [];
  const pending: Array<Promise<unknown>> = [];

  beforeAll(async () => {
    postgres = await startPostgres({ statStatements: false });
    await postgres.psql('CREATE DATABASE shop;');
    bouncer = await startPgBouncer({ postgresPort: postgres.port, databases: { shop: { dbname: 'shop', poolSize: 1 } }, poolMode: 'session' });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await Promise.all(pending);
    await bouncer?.stop();
    await postgres?.stop();
  });

  test('a pool of size 1 with one busy client and 7 queued: clients waiting found, warning, named by pool', async () => {
    const connect = async () => {
      const client = new pg.Client({ connectionString: bouncer.urlFor('shop') });
      client.on('error', () => undefined);
      await client.connect();
      clients.push(client);
      return client;
    };
    const busy = await connect();
    pending.push(busy.query('select pg_sleep(4)').catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 7; i++) {
      const client = await connect().catch(() => null);
      if (client) pending.push(client.query('select 1').catch(() => undefined));
    }
    // wait until PgBouncer has queued them
    await new Promise((resolve) => setTimeout(resolve, 500));

    const data = await collectPgBouncer(realPostgresPort, bouncer.adminUrl, SESSION);
    expect(data.reachable).toBe(true);
    expect(data.error).toBeUndefined();
    const pool = data.pools.find((candidate) => candidate.database === 'shop');
    expect(pool).toMatchObject({ user: 'postgres', poolSize: 1, poolMode: 'session' });
    expect(pool!.clientsWaiting).toBeGreaterThanOrEqual(6);
    expect(pool!.utilisationPercent).toBe(100);
    expect(data.maxClientConn).toBe(100);

    const findings = findingsOf(data);
    const waiting = findings.filter((finding) => finding.ruleId === 'pgbouncer-clients-waiting');
    expect(waiting.map((finding) => [finding.subject, finding.severity])).toEqual([['pgbouncer:pool:shop/postgres', 'warning']]);
    expect(waiting[0]!.recommendation).toContain('pool_mode = transaction');
    const utilisation = findings.filter((finding) => finding.ruleId === 'pgbouncer-pool-utilisation' && finding.subject === 'pgbouncer:pool:shop/postgres');
    expect(utilisation.map((finding) => finding.severity)).toEqual(['critical']);
  }, 30_000);

  test('unreachable PgBouncer: a critical availability finding, the password never shown', async () => {
    const secret = 'bouncer-Secret-9';
    const data = await collectPgBouncer(realPostgresPort, `postgres://admin:${secret}@127.0.0.1:1/pgbouncer`, SESSION);
    expect(data.reachable).toBe(false);
    const findings = findingsOf(data);
    expect(findings.map((finding) => [finding.ruleId, finding.subject, finding.severity, finding.category])).toEqual([
      ['pgbouncer-unreachable', 'pgbouncer:instance', 'critical', 'availability'],
    ]);
    expect(JSON.stringify({ data, findings })).not.toContain(secret);
  });
});
