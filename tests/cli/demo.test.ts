/** `perf-analyze demo` end to end, once: the built binary, a short sample window. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { DEMO_CREDENTIALS } from '../../src/demo/index.js';

describe('perf-analyze demo', () => {
  it('starts the stack, analyses it, writes valid reports and stops everything', async () => {
    const cwd = await tempDir();
    const result = await runCli(['demo', '--samples', '3', '--sample-seconds', '0.2', '--fault', 'bcrypt-cost=10', '--no-color'], { cwd, timeoutMs: 120_000 });
    expect(result.stderr).toMatch(/stopping the demo stack/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/📈 Performance Score: \d+\/100/);
    const files = await readdir(path.join(cwd, 'reports'));
    const jsonFile = files.find((file) => file.endsWith('.json'))!;
    const text = await readFile(path.join(cwd, 'reports', jsonFile), 'utf8');
    const report = JSON.parse(text) as { metrics: { api?: { reachable: boolean; endpoints: unknown[]; login: { tokenFound: boolean } } }; scores: { performance?: number } };
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.metrics.api?.reachable).toBe(true);
    // the three GET endpoints and the login, which the demo's diagnosis drives too
    expect(report.metrics.api?.endpoints).toHaveLength(4);
    expect(report.metrics.api?.login.tokenFound).toBe(true);
    expect(typeof report.scores.performance).toBe('number');
    // the demo also analyses the app's own PostgreSQL and Redis, and runs a short load test
    const metrics = (report as unknown as { metrics: Record<string, { ladder?: unknown[]; databases?: Array<{ reachable: boolean }>; reachable?: boolean }> }).metrics;
    expect(metrics.postgres?.databases?.[0]?.reachable).toBe(true);
    expect(metrics.redis?.reachable).toBe(true);
    expect(metrics.load?.ladder).toHaveLength(4);
    // the load test logged in and loads the profile endpoint with the token; no TTY: one plain line per level
    const load = metrics.load as unknown as { endpoints: string[]; skippedEndpoints: unknown[]; ladder: Array<{ errors: { total: number } }> };
    expect(load.endpoints).toContain('GET /api/v1/user/profile');
    expect(load.skippedEndpoints).toEqual([{ name: 'POST /api/v1/auth/jwt/login', reason: 'POST: only GET endpoints are loaded unless load.endpoints names them' }]);
    expect(load.ladder[0]!.errors.total).toBe(0);
    expect(result.stderr).toMatch(/\[perf-analyze\] Load test: 1 users \(1\/4\): [\d,.]+ requests\/s, p95 [\d.]+ ms, /);
    const summary = await readFile(path.join(cwd, 'reports', files.find((file) => file.endsWith('.txt'))!), 'utf8');
    for (const output of [text, summary, result.stdout, result.stderr]) expect(output).not.toContain(DEMO_CREDENTIALS.password);
    // nothing left running: the app's port is closed
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(result.stderr)?.[1];
    expect(port).toBeDefined();
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 150_000);

  it('an unknown --fault is a usage error before anything starts', async () => {
    const cwd = await tempDir();
    const result = await runCli(['demo', '--fault', 'gremlins'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown --fault "gremlins"/);
  });
});
