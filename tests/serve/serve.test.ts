/* eslint-disable @typescript-eslint/no-explicit-any -- the responses are JSON read back field by field; their shapes are what the tests check */
/**
 * `perf-analyze serve` end to end: the built binary on a free port over real saved reports in
 * a temp dir (written by a real run, plus fixture reports spread over 30 days).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServe, stopServe as stop, type RunningServe as Running } from '../support/serve.js';
import { runCli } from '../support/cli.js';
import { checkExposition } from '../support/prom-check.js';
import { buildReport } from '../support/report-fixture.js';

const API = '/api/v1/performance-dashboard';
const two = (n: number) => String(n).padStart(2, '0');
const fileName = (date: Date) =>
  `performance_analysis_report_${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}_${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}.json`;


async function get(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; text: string; type: string }> {
  const response = await fetch(url, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, text, type, body: type.includes('json') ? JSON.parse(text) : null };
}

let work: string;
let reportsDir: string;
let server: Running;
let latestFile: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'perf-serve-'));
  reportsDir = path.join(work, 'reports');
  await mkdir(reportsDir, { recursive: true });
  // 30 nightly reports over 30 days, then a real run as the latest
  const now = Date.now();
  for (let day = 30; day >= 1; day -= 1) {
    const started = new Date(now - day * 24 * 3600 * 1000);
    const report = buildReport({ startedAt: started.toISOString() });
    report.scores.health = 50 + day;
    await writeFile(path.join(reportsDir, fileName(started)), JSON.stringify(report));
  }
  await writeFile(path.join(reportsDir, fileName(new Date(now - 2 * 24 * 3600 * 1000 + 1000))), '{"truncated": ');
  const run = await runCli(['-o', reportsDir, '--sample-seconds', '0.3', '--quiet', '--fail-on', 'none'], { cwd: work });
  expect(run.code).toBe(0);
  latestFile = run.stdout.trim();
  server = await startServe(['--dir', reportsDir, '--rate-limit', '1000'], work);
}, 60_000);

afterAll(async () => {
  if (server) expect(await stop(server)).toBe(0);
  await rm(work, { recursive: true, force: true });
});

describe('perf-analyze serve', () => {
  it('health-overview has the shape of the specification example, from the latest report and a live sample', async () => {
    const { status, body } = await get(`${server.base}${API}/health-overview`);
    expect(status).toBe(200);
    const overview = body as Record<string, any>;
    expect(Object.keys(overview)).toEqual(expect.arrayContaining(['timestamp', 'health_status', 'health_score', 'system_metrics', 'database_metrics', 'alerts']));
    expect(typeof overview.health_score).toBe('number');
    expect(['excellent', 'good', 'fair', 'poor', 'critical']).toContain(overview.health_status);
    expect(overview.report.file).toBe(latestFile);
    expect(Object.keys(overview.system_metrics).sort()).toEqual(['cpu_percent', 'disk_percent', 'memory_percent']);
    expect(overview.system_metrics.memory_percent).toBeGreaterThan(0);
    expect(overview.system_metrics.disk_percent).toBeGreaterThan(0);
    expect(Object.keys(overview.database_metrics.connections).sort()).toEqual(['active', 'idle', 'max', 'utilization_percent']);
    expect(Object.keys(overview.database_metrics.performance).sort()).toEqual(['avg_query_time_ms', 'queries_per_second', 'slow_queries_count']);
    expect(Array.isArray(overview.alerts)).toBe(true);
  });

  it('metrics/realtime is a live host sample, cached about a second', async () => {
    const first = (await get(`${server.base}${API}/metrics/realtime`)).body as Record<string, any>;
    const again = (await Promise.all(Array.from({ length: 20 }, () => get(`${server.base}${API}/metrics/realtime`)))).map((r) => r.body as Record<string, any>);
    // many clients within the second share one sample (at most two distinct ones if the second rolled over)
    expect(new Set([first, ...again].map((s) => s.timestamp)).size).toBeLessThanOrEqual(2);
    expect(first.host.memory_percent).toBeGreaterThan(0);
    expect(first.cpu_window_ms).toBeGreaterThan(0);
    expect(first.database).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = (await get(`${server.base}${API}/metrics/realtime`)).body as Record<string, any>;
    expect(later.timestamp).not.toBe(first.timestamp);
  });

  it('metrics/historical?hours=N reads the saved reports of the window, skipping unreadable ones', async () => {
    const day = (await get(`${server.base}${API}/metrics/historical?hours=36`)).body as Record<string, any>;
    expect(day.count).toBe(2); // yesterday's fixture and the real run
    const month = (await get(`${server.base}${API}/metrics/historical?hours=${31 * 24}`)).body as Record<string, any>;
    expect(month.count).toBe(31);
    expect(month.reports[0].health_score).toBe(80);
    expect(Object.keys(month.reports[0].system)).toEqual(['cpu_percent', 'memory_percent', 'disk_percent']);
    expect(month.skipped).toBe(1);
  });

  it.each([['-1'], ['abc'], ['0'], ['1e9'], ['']])('hours=%s is a 400 with a clear JSON message', async (hours) => {
    const { status, body, type } = await get(`${server.base}${API}/metrics/historical?hours=${hours}`);
    expect(status).toBe(400);
    expect(type).toContain('application/json');
    expect((body as any).error.message).toMatch(/hours must be a number of hours greater than 0/);
  });

  it('bottlenecks/analysis lists the findings of the latest report, most severe first', async () => {
    const { status, body } = await get(`${server.base}${API}/bottlenecks/analysis`);
    expect(status).toBe(200);
    const analysis = body as Record<string, any>;
    expect(analysis.report.file).toBe(latestFile);
    const severities = analysis.bottlenecks.map((b: any) => b.severity);
    const rank = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    expect(severities).toEqual([...severities].sort((a: string, b: string) => rank[a]! - rank[b]!));
    for (const bottleneck of analysis.bottlenecks) expect(Object.keys(bottleneck)).toEqual(expect.arrayContaining(['subject', 'evidence', 'recommendation']));
  });

  it('bottlenecks/analysis?fresh=1 runs a quick analysis in-process: findings of a 1 s window, nothing saved', async () => {
    const before = (await readdir(reportsDir)).sort();
    const tempBefore = (await readdir(os.tmpdir())).filter((name) => name.startsWith('perf-analyze-quick-')).length;
    const started = performance.now();
    const { status, body } = await get(`${server.base}${API}/bottlenecks/analysis?fresh=1`);
    const elapsedMs = performance.now() - started;
    expect(status).toBe(200);
    const analysis = body as Record<string, any>;
    expect(analysis.report).toBeNull();
    const fresh = analysis.fresh_run;
    // 1 s for the host alone; shared with Docker when this machine has an engine socket
    expect([1, 0.7]).toContain(fresh.window_seconds);
    expect(fresh.shared).toBe(false);
    expect(typeof fresh.health_score).toBe('number');
    const system = fresh.phases.find((phase: any) => phase.id === 'system');
    expect(system.status).toBe('ok');
    // the host window is the quick one (not the configured 5 s): generous bounds
    expect(system.duration_ms).toBeGreaterThanOrEqual(fresh.window_seconds * 900);
    expect(system.duration_ms).toBeLessThan(3000);
    expect(elapsedMs).toBeGreaterThanOrEqual(fresh.window_seconds * 900);
    expect(fresh.phases.find((phase: any) => phase.id === 'api').status).toBe('skipped');
    expect(Date.parse(fresh.started_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(analysis.summary.critical + analysis.summary.warning + analysis.summary.info).toBe(analysis.bottlenecks.length);
    // nothing written to the reports directory, and the temp directory is gone
    expect((await readdir(reportsDir)).sort()).toEqual(before);
    expect((await readdir(os.tmpdir())).filter((name) => name.startsWith('perf-analyze-quick-')).length).toBeLessThanOrEqual(tempBefore);
    // and the plain endpoint still answers from the latest saved report
    expect(((await get(`${server.base}${API}/bottlenecks/analysis?fresh=0`)).body as any).report.file).toBe(latestFile);
  }, 20_000);

  it('concurrent fresh=1 requests share one quick run', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => get(`${server.base}${API}/bottlenecks/analysis?fresh=true`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const runs = answers.map((a) => (a.body as any).fresh_run);
    expect(new Set(runs.map((run) => run.started_at)).size).toBe(1);
    expect(runs.filter((run) => run.shared === false)).toHaveLength(1);
    expect(runs.filter((run) => run.shared === true)).toHaveLength(3);
  }, 20_000);

  it.each([['yes'], ['2'], [''], ['-1']])('bottlenecks/analysis?fresh=%s is a 400 with a clear JSON message', async (fresh) => {
    const { status, body, type } = await get(`${server.base}${API}/bottlenecks/analysis?fresh=${fresh}`);
    expect(status).toBe(400);
    expect(type).toContain('application/json');
    expect((body as any).error.message).toMatch(/fresh must be 1 or true/);
  });

  it('load-test/status says why no test can start, and start is refused with 409 without an API', async () => {
    const status = (await get(`${server.base}${API}/load-test/status`)).body as Record<string, any>;
    expect(status.state).toBe('idle');
    expect(status.unavailable).toMatch(/no API configured/);
    expect(status.caps.concurrency.length).toBeGreaterThan(0);
    const start = await get(`${server.base}${API}/load-test/start`, { method: 'POST' });
    expect(start.status).toBe(409);
  });

  it('dashboard/config gives thresholds, weights and the refresh interval', async () => {
    const config = (await get(`${server.base}${API}/dashboard/config`)).body as Record<string, any>;
    expect(config.weights).toEqual({ database: 0.4, system: 0.35, cache: 0.25 });
    expect(config.thresholds.cpu.critical).toBe(95);
    expect(config.refresh_interval_seconds).toBe(5);
  });

  it('/metrics is a valid Prometheus exposition of the latest report and the live sample', async () => {
    const { status, text, type } = await get(`${server.base}/metrics`);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    const { problems, samples } = checkExposition(text);
    expect(problems).toEqual([]);
    expect(samples.some((s) => s.name === 'perf_analyze_live_host_memory_used_ratio')).toBe(true);
    expect(samples.some((s) => s.name.startsWith('perf_analyze_health'))).toBe(true);
  });

  it('/ is the dashboard page: the latest report, the chart library inline, live mode, no external URL', async () => {
    const { status, text, type } = await get(`${server.base}/`);
    expect(status).toBe(200);
    expect(type).toContain('text/html');
    expect(text).toContain('perf-analyze dashboard');
    expect(text).toContain('id="live"');
    expect(text).toMatch(/uPlot/);
    expect(text).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('is read-only, answers unknown paths with a JSON 404', async () => {
    expect((await get(`${server.base}${API}/dashboard/config`, { method: 'DELETE' })).status).toBe(405);
    const missing = await get(`${server.base}${API}/nothing`);
    expect(missing.status).toBe(404);
    expect((missing.body as any).error.message).toMatch(/no such endpoint/);
  });
});

describe('perf-analyze serve: the token rule and the rate bound', () => {
  it('refuses to bind a non-loopback address without --token', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: os.tmpdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/requires --token/);
  });

  it('with --token every request needs the bearer token; start-up says so', async () => {
    const running = await startServe(['--dir', reportsDir, '--token', 's3cret-token'], work);
    try {
      expect(running.output()).toMatch(/bearer token is required/);
      expect(running.output()).not.toContain('s3cret-token');
      const denied = await get(`${running.base}${API}/dashboard/config`);
      expect(denied.status).toBe(401);
      expect((denied.body as any).error.message).toMatch(/bearer token/);
      expect((await get(`${running.base}${API}/dashboard/config`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await get(`${running.base}${API}/dashboard/config`, { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(200);
      expect((await get(`${running.base}/?token=s3cret-token`)).status).toBe(200);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  }, 30_000);

  it('bounds the request rate per client with a 429', async () => {
    const running = await startServe(['--dir', reportsDir, '--rate-limit', '5'], work);
    try {
      const statuses = [];
      for (let i = 0; i < 30; i += 1) statuses.push((await get(`${running.base}${API}/dashboard/config`)).status);
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  }, 30_000);
});
