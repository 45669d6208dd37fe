import { describe, expect, it } from '@jest/globals';
import { loadChartLibrary } from '../../src/ports/chart-library.js';
import { chartData } from '../../src/reporters/html-data.js';
import { htmlReporter, renderHtml, scriptJson } from '../../src/reporters/html.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { healthyApi } from '../support/api-fixture.js';
import { buildLoadMetrics } from '../support/load-fixture.js';
import { buildFinding, buildReport } from '../support/report-fixture.js';
import type { Report } from '../../src/contracts/report.js';

function fullReport(): Report {
  const base = buildReport();
  return buildReport({
    metrics: { ...base.metrics, load: buildLoadMetrics(), api: healthyApi() },
    findings: [...base.findings, buildFinding({ severity: 'warning', title: 'Evil </script><script>alert(1)</script>', subject: 'endpoint:GET /x' })],
  });
}

/** the JSON the page's charts read */
function embeddedData(html: string): Record<string, unknown> {
  const match = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as Record<string, unknown>;
}

describe('html reporter', () => {
  it('the charting library is installed and readable (uplot): the html format cannot work without it', async () => {
    const library = await loadChartLibrary();
    expect(library.name).toBe('uplot');
    expect(library.script.length).toBeGreaterThan(10_000);
    expect(library.script).toContain('uPlot');
    expect(library.stylesheet).toContain('.uplot');
  });

  it('is registered as --format html', () => {
    expect(REPORTERS.html).toBe(htmlReporter);
    expect(htmlReporter.extension).toBe('.html');
  });

  it('refuses to render without the chart library', () => {
    expect(() => renderHtml(fullReport(), undefined)).toThrow(/charting library/);
  });

  it('is one self-contained page: library inline, no external URL, the report numbers present', async () => {
    const library = await loadChartLibrary();
    const report = fullReport();
    const html = htmlReporter.render(report, { color: false, files: {}, chartLibrary: library });
    // no network: nothing loaded from anywhere
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain("default-src 'none'");
    // the library bundled (its first 200 characters, verbatim)
    expect(html).toContain(library.script.slice(0, 200));
    // assessment, score, findings with evidence and recommendation
    expect(html).toContain(`>${report.scores.health.toFixed(1)}<`);
    expect(html).toContain(`>${report.assessment}<`);
    for (const finding of report.findings.slice(0, 3)) {
      expect(html).toContain(finding.recommendation.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
    // a finding's text cannot break out of the page
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Evil &lt;/script&gt;');
    // the charts' data: load ladder with the knee, per-endpoint percentiles, resources
    const data = embeddedData(html);
    const expected = chartData(report);
    expect(data.load).toEqual(JSON.parse(JSON.stringify(expected.load)));
    expect(expected.load!.concurrency).toEqual([1, 10, 50, 100, 200]);
    expect(expected.load!.knee).not.toBeNull();
    expect(data.endpoints).toEqual(JSON.parse(JSON.stringify(expected.endpoints)));
    expect(expected.endpoints!.names.length).toBe(report.metrics.api!.endpoints.filter((e) => e.skipped === null && e.latency.samples > 0).length);
    expect((data.resources as { labels: string[] }).labels).toContain('disk /');
    for (const id of ['chart-load', 'chart-endpoints', 'chart-resources']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('@media print');
    expect(html).not.toContain('id="live"');
  });

  it('says what is missing instead of plotting nothing', () => {
    const base = buildReport();
    const data = chartData(buildReport({ metrics: { ...base.metrics, api: undefined } }));
    expect(data.load).toBeNull();
    expect(data.endpoints).toBeNull();
    expect(data.resources).not.toBeNull();
  });

  it('leads with the root causes, ordered by estimated saving, escaped; none without a diagnosis finding', async () => {
    const library = await loadChartLibrary();
    const cause = (title: string, saving: number, severity: 'warning' | 'critical') =>
      buildFinding({ ruleId: 'diagnosis-root-cause', severity, category: 'api', subject: `endpoint:${title}`, title, estimatedSavingMsPerRequest: saving });
    const html = renderHtml(buildReport({ findings: [cause('GET /a: root cause one query', 3, 'critical'), cause('GET /b: root cause <b>index</b>', 25.5, 'warning')] }), library);
    const section = /<section id="root-causes">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(section.indexOf('GET /b: root cause &lt;b&gt;index&lt;/b&gt;')).toBeGreaterThan(-1);
    expect(section.indexOf('GET /b')).toBeLessThan(section.indexOf('GET /a'));
    expect(section).toContain('saves about 25.5 ms per request');
    expect(html.indexOf('id="root-causes"')).toBeLessThan(html.indexOf('id="findings"'));
    expect(renderHtml(buildReport(), library)).not.toContain('id="root-causes"');
  });

  it('scriptJson cannot close the script element', () => {
    const text = scriptJson({ a: '</script><!-- \u2028' });
    expect(text).not.toContain('</');
    expect(text).not.toContain('<!--');
    expect(JSON.parse(text)).toEqual({ a: '</script><!-- \u2028' });
  });

  it('shows the baseline comparison when there is one', async () => {
    const report = buildReport({
      baseline: {
        file: 'reports/old.json',
        startedAt: '2025-08-05T14:30:22.000Z',
        schemaVersion: '1.0.0',
        tolerance: { relativePercent: 10, absolute: {}, confidenceZ: 3, percentileMinChangePercent: 10 },
        metrics: [{ metric: 'system.cpu.totalPercent', unit: '%', old: 20, new: 47.3, change: 27.3, changePercent: 136.5, direction: 'higher-is-worse', verdict: 'regression', noise: 5, basis: 'max(5 %, 10 % of old)' }],
        findings: { new: [], resolved: [], unchanged: [] },
        regressions: ['system.cpu.totalPercent'],
        improvements: [],
        summary: { compared: 1, regressions: 1, improvements: 0, unchanged: 0, neutral: 0, added: 0, removed: 0, notComparable: 0 },
      },
    } as Partial<Report>);
    const html = renderHtml(report, await loadChartLibrary());
    expect(html).toContain('id="baseline"');
    expect(html).toContain('system.cpu.totalPercent');
    expect(html).toContain('+136.5 %');
  });
});
