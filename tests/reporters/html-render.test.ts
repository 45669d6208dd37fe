/**
 * The HTML report (`--format html`) rendered in real headless Chromium (tests/support/chromium.ts):
 * the page opened from a file:// URL shows the report's assessment, score and findings, uPlot drew
 * each chart with the report's numbers (the canvases carry the series' colours, the chart objects
 * hold the report's data), nothing was logged as an error and nothing was requested beyond the file.
 * A screenshot is kept in reports/ci-artifacts/html-report.png (CI keeps it as an artifact).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadChartLibrary } from '../../src/ports/chart-library.js';
import { chartData } from '../../src/reporters/html-data.js';
import { renderHtml } from '../../src/reporters/html.js';
import type { Report } from '../../src/contracts/report.js';
import { healthyApi } from '../support/api-fixture.js';
import { ARTIFACT_DIR, canvasInk, chromiumAvailability, openSession, type Session } from '../support/chromium.js';
import { buildLoadMetrics } from '../support/load-fixture.js';
import { buildFinding, buildReport } from '../support/report-fixture.js';

const availability = chromiumAvailability();
const test = availability.run ? it : it.skip;

function fullReport(): Report {
  const base = buildReport();
  return buildReport({
    metrics: { ...base.metrics, load: buildLoadMetrics(), api: healthyApi() },
    findings: [...base.findings, buildFinding({ severity: 'warning', title: 'Evil </script><script>alert(1)</script>', subject: 'endpoint:GET /x' })],
  });
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'perf-html-render-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium', () => {
  test(`renders offline with every chart drawn, the report's numbers and no error${availability.reason}`, async () => {
    const report = fullReport();
    const file = path.join(work, 'performance_analysis_report_20250805_143022.html');
    await writeFile(file, renderHtml(report, await loadChartLibrary()));
    const url = pathToFileURL(file).href;

    let session: Session | undefined;
    try {
      session = await openSession((requested) => requested === url);
      const { page } = session;
      page.on('dialog', (dialog) => {
        session!.errors.push(`dialog opened: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => {
        const charts = (window as unknown as { __charts?: Record<string, unknown> }).__charts;
        return charts !== undefined && ['load', 'endpoints', 'resources'].every((name) => name in charts);
      });

      // the headline: assessment, health score, finding counts
      expect((await page.locator('#assessment').innerText()).trim()).toBe(report.assessment);
      expect((await page.locator('#health-score').innerText()).trim()).toBe(report.scores.health.toFixed(1));
      expect(await page.locator('#finding-counts').innerText()).toBe(`${report.summary.critical} critical, ${report.summary.warning} warning, ${report.summary.info} info`);
      // every finding, with its recommendation; the hostile title shown as text, not run
      expect(await page.locator('#findings article.finding').count()).toBe(report.findings.length);
      const findingsText = await page.locator('#findings').innerText();
      for (const finding of report.findings) {
        expect(findingsText).toContain(finding.recommendation);
        expect(findingsText).toContain(finding.subject);
      }
      expect(findingsText).toContain('Evil </script><script>alert(1)</script>');

      // the charts hold the report's numbers (uPlot's data, as plotted)
      const expected = JSON.parse(JSON.stringify(chartData(report))) as ReturnType<typeof chartData>;
      const plotted = await page.evaluate(() => {
        const charts = (window as unknown as { __charts: Record<string, { data: unknown[][] }> }).__charts;
        return Object.fromEntries(Object.entries(charts).map(([name, chart]) => [name, chart.data.map((series) => Array.from(series))]));
      });
      expect(plotted.load).toEqual([expected.load!.concurrency, expected.load!.throughputRps, expected.load!.p95Ms]);
      expect(plotted.endpoints!.slice(1)).toEqual([expected.endpoints!.p50Ms, expected.endpoints!.p95Ms, expected.endpoints!.p99Ms]);
      expect(plotted.resources![1]).toEqual(expected.resources!.percent);
      expect(expected.load!.knee).not.toBeNull();

      // ... and drew them: a sized canvas per chart, painted in the series' colours
      // (throughput blue, p95 red, the knee's green line; p50/p95/p99 dots; the resource bars)
      const charts: Array<[string, string[]]> = [
        ['#chart-load', ['#1f6feb', '#d1242f', '#1a7f37']],
        ['#chart-endpoints', ['#1a7f37', '#9a6700', '#d1242f']],
        ['#chart-resources', ['#1f6feb']],
      ];
      for (const [selector, colours] of charts) {
        const canvases = await canvasInk(page, selector, colours);
        expect(canvases.length).toBe(1);
        const [ink] = canvases;
        expect(ink!.width).toBeGreaterThan(300);
        expect(ink!.height).toBeGreaterThan(100);
        expect(ink!.painted).toBeGreaterThan(1000);
        for (const colour of colours) expect({ selector, colour, pixels: ink!.colours[colour]! > 50 }).toEqual({ selector, colour, pixels: true });
      }
      // the legend shows the series the report has
      expect(await page.locator('#chart-load .u-legend').innerText()).toMatch(/throughput \(req\/s\)[\s\S]*p95 \(ms\)/);

      await mkdir(ARTIFACT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACT_DIR, 'html-report.png'), fullPage: true });

      expect(session.errors).toEqual([]);
      expect(session.blocked).toEqual([]);
      expect(session.requests).toEqual([url]);
    } finally {
      await session?.close();
    }
  });
});
