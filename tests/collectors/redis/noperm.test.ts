/**
 * Issue 3, "Findings and safety": permission denied on Redis (NOPERM). A real redis-server with
 * ACL users that may not run INFO, or may run INFO but not SLOWLOG: a clear finding that names
 * the command and the ACL to grant, no crash, and the user's password in no output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { collectRedis } from '../../../src/collectors/redis/index.js';
import { systemClock } from '../../../src/ports/clock.js';
import { realRedisPort } from '../../../src/ports/redis.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { runToReports } from '../../support/cli.js';
import { startRedis, type RedisServer } from '../../support/redis-server.js';

const NO_INFO_PW = 'NoInfo-pw-5521';
const NO_SLOWLOG_PW = 'NoSlow-pw-8830';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await admin.connect();
  await admin.call('ACL', 'SETUSER', 'noinfo', 'on', `>${NO_INFO_PW}`, '~*', '+@all', '-info');
  await admin.call('ACL', 'SETUSER', 'noslowlog', 'on', `>${NO_SLOWLOG_PW}`, '~*', '+@all', '-slowlog');
  await admin.set('user:1', 'x');
  admin.disconnect();
});

afterAll(async () => {
  await redis?.stop();
});

async function collect(url: string) {
  const result = await collectRedis(
    { redis: realRedisPort, clock: systemClock },
    {
      url,
      queues: [],
      sampleSeconds: 0.3,
      pingSamples: 5,
      maxKeys: 1000,
      maxScanSeconds: 1,
      scanCount: 100,
      connectTimeoutSeconds: 2,
      commandTimeoutSeconds: 5,
      signal: new AbortController().signal,
    },
  );
  const { findings } = evaluateRules({ redis: { status: result.partial ? 'partial' : 'ok', durationMs: 0, data: result.data } }, mergeThresholds());
  return { ...result, findings, json: JSON.stringify({ ...result, findings }) };
}

describe('Redis ACL users without permission (NOPERM)', () => {
  it('no INFO: not analysed, a finding that says INFO was refused and the ACL to grant, not "unreachable"', async () => {
    const outcome = await collect(`redis://noinfo:${NO_INFO_PW}@127.0.0.1:${redis.port}`);
    expect(outcome.data).toMatchObject({ reachable: true, server: null, access: { reachable: true, authenticated: true, commands: { info: false } } });
    expect(outcome.data.error).toMatch(/INFO refused: NOPERM/);
    expect(outcome.partial).toMatch(/not analysed: INFO refused/);
    const findings = outcome.findings.filter((f) => f.ruleId === 'redis-availability');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', subject: 'redis:instance', title: 'Redis user may not run INFO' });
    expect(findings[0]!.message).toMatch(/NOPERM/);
    expect(findings[0]!.recommendation).toMatch(/ACL SETUSER noinfo \+info/);
    expect(outcome.json).not.toContain(NO_INFO_PW);
  });

  it('no SLOWLOG: measured, slowlog not read, an info finding naming SLOWLOG', async () => {
    const outcome = await collect(`redis://noslowlog:${NO_SLOWLOG_PW}@127.0.0.1:${redis.port}/0`);
    expect(outcome.partial).toBeUndefined();
    expect(outcome.data).toMatchObject({ reachable: true, error: null, slowlog: null, access: { authenticated: true, commands: { info: true, slowlog: false, scan: true } } });
    expect(outcome.data.access.denied.join(' ')).toMatch(/SLOWLOG LEN: NOPERM/);
    expect(outcome.data.notes).toContain('SLOWLOG not allowed for this user: slow commands not read');
    expect(outcome.data.stats).not.toBeNull();
    expect(outcome.data.keySample?.scannedKeys).toBe(1);
    expect(outcome.findings.filter((f) => f.ruleId === 'redis-availability')).toEqual([]);
    const access = outcome.findings.find((f) => f.ruleId === 'redis-access');
    expect(access).toMatchObject({ severity: 'info', subject: 'redis:instance' });
    expect(access!.message).toMatch(/may not run SLOWLOG: not measured: slow commands \(SLOWLOG\)/);
    expect(outcome.json).not.toContain(NO_SLOWLOG_PW);
  });

  it('the CLI with the no-INFO user: no crash, the finding in the report, the password nowhere', async () => {
    const { result, texts, report } = await runToReports(['--redis-url', `redis://noinfo:${NO_INFO_PW}@127.0.0.1:${redis.port}`, '--sample-seconds', '0.3']);
    expect(result.stderr).not.toMatch(/internal error/);
    const finding = report.findings.find((f) => f.ruleId === 'redis-availability');
    expect(finding).toMatchObject({ title: 'Redis user may not run INFO' });
    for (const text of [...texts, result.stdout, result.stderr]) expect(text).not.toContain(NO_INFO_PW);
  }, 60_000);
});
