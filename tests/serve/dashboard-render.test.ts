/**
 * The dashboard page of `perf-analyze serve` (the built binary, on a free port, over a temp dir
 * with a saved report) opened in real headless Chromium (tests/support/chromium.ts): the report's
 * score and charts are there, the live chart appears and grows from the realtime API, nothing is
 * logged as an error and the page talks to its own origin only. A screenshot is kept in
 * reports/ci-artifacts/dashboard.png.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServe, stopServe as stop, type RunningServe as Running } from '../support/serve.js';
import type { Report } from '../../src/contracts/report.js';
import { healthyApi } from '../support/api-fixture.js';
import { ARTIFACT_DIR, canvasInk, chromiumAvailability, openSession, type Session } from '../support/chromium.js';
import { buildLoadMetrics } from '../support/load-fixture.js';
import { buildReport } from '../support/report-fixture.js';

const availability = chromiumAvailability();
const test = availability.run ? it : it.skip;
const API = '/api/v1/performance-dashboard';


let work: string;
let report: Report;
let server: Running | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'perf-dashboard-render-'));
  const reportsDir = path.join(work, 'reports');
  await mkdir(reportsDir, { recursive: true });
  const base = buildReport({ startedAt: '2025-08-05T14:30:22.000Z' });
  report = buildReport({ startedAt: base.startedAt, metrics: { ...base.metrics, load: buildLoadMetrics(), api: healthyApi() } });
  await writeFile(path.join(reportsDir, 'performance_analysis_report_20250805_143022.json'), JSON.stringify(report));
  if (availability.run) server = await startServe(['--dir', reportsDir, '--refresh', '1', '--rate-limit', '1000'], work);
}, 30_000);

afterAll(async () => {
  if (server) expect(await stop(server)).toBe(0);
  await rm(work, { recursive: true, force: true });
});

describe('the dashboard page of perf-analyze serve in headless Chromium', () => {
  test(`shows the latest report and a live chart fed by the realtime API, with no error${availability.reason}`, async () => {
    const base = server!.base;
    let session: Session | undefined;
    try {
      session = await openSession((requested) => requested.startsWith(`${base}/`));
      const { page } = session;
      await page.goto(`${base}/`, { waitUntil: 'load' });

      // the saved report: headline and its charts
      expect((await page.locator('h1').innerText()).trim()).toBe('perf-analyze dashboard');
      expect((await page.locator('#health-score').innerText()).trim()).toBe(report.scores.health.toFixed(1));
      expect((await page.locator('#assessment').innerText()).trim()).toBe(report.assessment);
      expect(await page.locator('#findings article.finding').count()).toBe(report.findings.length);

      // the live chart appears, and grows with each refresh (--refresh 1): three samples or more
      await page.waitForFunction(
        () => {
          const live = (window as unknown as { __charts?: { live?: { data: unknown[][] } } }).__charts?.live;
          return live !== undefined && live.data[0]!.length >= 3;
        },
        undefined,
        { timeout: 20_000 },
      );
      expect(await page.locator('#live-status').innerText()).toMatch(/^live: sampled \d{4}-\d\d-\d\dT/);
      const live = await page.evaluate(() => (window as unknown as { __charts: { live: { data: Array<ArrayLike<number | null>> } } }).__charts.live.data.map((series) => Array.from(series)));
      // memory in use on this host: a real percentage in every sample
      for (const memory of live[2]!) expect(memory).toBeGreaterThan(0);
      for (const memory of live[2]!) expect(memory).toBeLessThanOrEqual(100);

      // drawn: CPU red, memory blue, disk purple on the live canvas; the report's charts too
      const [liveInk] = await canvasInk(page, '#chart-live', ['#d1242f', '#1f6feb', '#8250df']);
      expect(liveInk!.width).toBeGreaterThan(300);
      expect(liveInk!.painted).toBeGreaterThan(1000);
      expect(liveInk!.colours['#d1242f']).toBeGreaterThan(20);
      expect(liveInk!.colours['#1f6feb']).toBeGreaterThan(20);
      expect(liveInk!.colours['#8250df']).toBeGreaterThan(20);
      for (const selector of ['#chart-load', '#chart-endpoints', '#chart-resources']) {
        const [ink] = await canvasInk(page, selector, []);
        expect({ selector, drawn: ink !== undefined && ink.width > 300 && ink.painted > 1000 }).toEqual({ selector, drawn: true });
      }

      await mkdir(ARTIFACT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACT_DIR, 'dashboard.png'), fullPage: true });

      expect(session.errors).toEqual([]);
      expect(session.blocked).toEqual([]);
      // the page, then only the dashboard API of the same origin (and the browser's favicon probe)
      const paths = new Set(session.requests.map((url) => new URL(url).pathname));
      expect(paths).toContain('/');
      expect(paths).toContain(`${API}/metrics/realtime`);
      for (const requested of paths) expect(['/', '/favicon.ico', `${API}/metrics/realtime`, `${API}/health-overview`]).toContain(requested);
    } finally {
      await session?.close();
    }
  });
});
