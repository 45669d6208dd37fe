/**
 * Which other backends may still hold unpublished table counters, on a real server: one that just
 * ran a statement may; one idle past the horizon, one that exited, and our own sessions may not.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { otherBackendsMayHoldCounters } from '../../../src/collectors/diagnosis/snapshot.js';
import { CountingSession } from '../../../src/collectors/postgres/session.js';
import { realPostgresPort } from '../../../src/ports/postgres.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const SESSION = { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns `expected`, at most 5 s (a backend leaves pg_stat_activity as it exits). */
async function eventually<T>(check: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + 5000;
  let value = await check();
  while (value !== expected && Date.now() < deadline) {
    await sleep(100);
    value = await check();
  }
  return value;
}

describe('otherBackendsMayHoldCounters', () => {
  let server: PostgresServer;
  let session: CountingSession;
  beforeAll(async () => {
    server = await startPostgres();
    session = new CountingSession(await realPostgresPort.connect(server.urlFor('postgres'), SESSION));
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  }, 30_000);

  it('an application backend that just ran a statement may; idle past the horizon or exited, it may not; ours never count', async () => {
    // only our own session (application_name perf-analyze) is connected
    expect(await eventually(() => otherBackendsMayHoldCounters(session, 60_000), false)).toBe(false);
    const ours = new pg.Client({ connectionString: server.urlFor('postgres'), application_name: 'perf-analyze' });
    await ours.connect();
    await ours.query('SELECT 1');
    expect(await otherBackendsMayHoldCounters(session, 60_000)).toBe(false);
    await ours.end();

    const app = new pg.Client({ connectionString: server.urlFor('postgres'), application_name: 'some-app' });
    await app.connect();
    await app.query('SELECT count(*) FROM pg_class');
    expect(await otherBackendsMayHoldCounters(session, 60_000)).toBe(true);
    // idle longer than the horizon (here 200 ms): its idle timer would have published
    await sleep(400);
    expect(await otherBackendsMayHoldCounters(session, 200)).toBe(false);
    await app.query('SELECT 1');
    expect(await otherBackendsMayHoldCounters(session, 60_000)).toBe(true);
    // it exits: it published as it went
    await app.end();
    expect(await eventually(() => otherBackendsMayHoldCounters(session, 60_000), false)).toBe(false);
  }, 30_000);
});
