/** End-to-end: the built binary with --redis-url / REDIS_URL / a config file, against a real redis-server. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { reportSchemaErrors } from '../support/report-schema.js';

const PASSWORD = 'Cli-Pa55word-x';
let redis: RedisServer;
let work: string;

beforeAll(async () => {
  redis = await startRedis({ requirepass: PASSWORD });
  work = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-cli-redis-'));
});
afterAll(async () => {
  await redis.stop();
  await rm(work, { recursive: true, force: true });
});

async function filesOf(dir: string): Promise<string> {
  const names = await readdir(dir);
  return (await Promise.all(names.map((name) => readFile(path.join(dir, name), 'utf8')))).join('\n');
}

describe('perf-analyze with Redis', () => {
  it('--redis-url: the cache is measured, scored and summarised; the password appears nowhere', async () => {
    const out = path.join(work, 'ok');
    const config = path.join(work, 'perf.yaml');
    await writeFile(config, 'redis:\n  sampleSeconds: 0.5\n  pingSamples: 10\n  queues: [emails]\n');
    const result = await runCli(['-c', config, '-o', out, '--sample-seconds', '0.2', '--redis-url', redis.url, '--json', '--fail-on', 'none'], { cwd: work });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { metrics: { redis: { reachable: boolean; server: { version: string } } }; scores: { components: { cache: { configured: boolean; score: number } } }; target: { components: { cache: { url: string } } }; phases: Array<{ id: string; status: string }> };
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.metrics.redis.reachable).toBe(true);
    expect(report.scores.components.cache.configured).toBe(true);
    expect(report.scores.components.cache.score).toBeGreaterThan(0);
    expect(report.target.components.cache.url).toBe(`redis://:***@127.0.0.1:${redis.port}`);
    expect(report.phases.find((phase) => phase.id === 'database')?.status).toBe('ok');
    const written = await filesOf(out);
    expect(written).toMatch(/CACHE \(Redis \d/);
    for (const text of [result.stdout, result.stderr, written]) expect(text).not.toContain(PASSWORD);
  });

  it('REDIS_URL pointing at a closed port: an availability finding (exit 1 at --fail-on warning), cache scored 0, no crash', async () => {
    const out = path.join(work, 'down');
    const port = await freePort();
    const result = await runCli(['-o', out, '--sample-seconds', '0.2', '--json', '--fail-on', 'warning'], {
      cwd: work,
      env: { REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${port}/1` },
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; severity: string; subject: string }>; scores: { components: { cache: { score: number } } } };
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'redis-availability', severity: 'warning', subject: 'redis:instance' }));
    expect(report.scores.components.cache.score).toBe(0);
    for (const text of [result.stdout, result.stderr, await filesOf(out)]) expect(text).not.toContain(PASSWORD);
  });

  it('a bad --redis-url is a usage error naming the flag, without echoing the password', async () => {
    const result = await runCli(['--redis-url', `http://:${PASSWORD}@127.0.0.1:6379`], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--redis-url: .*expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(result.stderr).not.toContain(PASSWORD);
  });
});
