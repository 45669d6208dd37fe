import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { compareReports } from '../../src/baseline/compare.js';
import { regressionFindings } from '../../src/baseline/findings.js';
import { DEFAULT_ABSOLUTE_TOLERANCE } from '../../src/config/baseline-schema.js';
import type { Report } from '../../src/contracts/report.js';
import { ANNOTATIONS_PER_LEVEL, renderAnnotations } from '../../src/reporters/github.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderPrometheus } from '../../src/reporters/prom.js';
import { endpoint, healthyApi, latency } from '../support/api-fixture.js';
import { checkExposition } from '../support/prom-check.js';
import { buildFinding, buildReport } from '../support/report-fixture.js';
import { childrenNamed, parseXml } from '../support/xml-check.js';


/** the fixture report plus an API section with percentiles and awkward names, and a baseline with one regression */
function richReport(): Report {
  const base = buildReport();
  // the API facts as the collector writes them (tests/support/api-fixture.ts), 900 samples per endpoint
  const withApi = (p95: number) => ({
    ...base.metrics,
    api: healthyApi((api) => {
      api.endpoints = [
        endpoint('GET', '/api/v1/user/profile', 80, { latency: { ...latency(80, p95, 900), p99Ms: 300 }, errorRatePercent: 0.5 }),
        endpoint('POST', '/login "quoted" \\ back\nslash', 5, { latency: latency(5, 9, 900) }),
      ];
    }),
  });
  const before = { schemaVersion: '1.0.0', startedAt: '2026-01-01T03:15:00.000Z', metrics: withApi(120), findings: base.findings };
  const now = { schemaVersion: '1.1.0', startedAt: base.startedAt, metrics: withApi(260), findings: base.findings };
  const comparison = compareReports(before, now, {
    relativePercent: 25, absolute: { ...DEFAULT_ABSOLUTE_TOLERANCE }, confidenceZ: 3, percentileMinChangePercent: 10, ignore: [],
  }, 'reports/old & <new>.json');
  const findings = [...base.findings, ...regressionFindings(comparison, now.metrics, 'warning')];
  return {
    ...base,
    metrics: now.metrics as unknown as Report['metrics'],
    findings,
    rules: [...base.rules, { ruleId: 'baseline-regression', outcome: 'failed', findings: 1 }],
    baseline: comparison,
  };
}

describe('prom', () => {
  const text = renderPrometheus(richReport());
  const { problems, samples, types } = checkExposition(text);

  it('is valid exposition format', () => {
    expect(problems).toEqual([]);
  });

  it('has scores, finding counts and metrics in base units with labels', () => {
    const find = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(find('perf_analyze_health_score')?.value).toBe(buildReport().scores.health);
    expect(find('perf_analyze_component_score', { component: 'system' })).toBeDefined();
    expect(find('perf_analyze_findings', { severity: 'warning' })?.value).toBeGreaterThan(0);
    expect(find('perf_analyze_baseline_regressions')?.value).toBe(1);
    expect(find('perf_analyze_system_mounts_used_ratio', { mount: '/' })?.value).toBeCloseTo(0.964, 6);
    expect(find('perf_analyze_system_network_rx_bytes_per_second', { iface: 'eth0' })).toBeDefined();
    expect(find('perf_analyze_api_endpoints_error_rate_ratio', { name: 'GET /api/v1/user/profile' })?.value).toBeCloseTo(0.005, 9);
    // percentiles: a summary in seconds with quantile labels and the sample count
    expect(types.perf_analyze_api_endpoints_latency_seconds).toBe('summary');
    expect(find('perf_analyze_api_endpoints_latency_seconds', { name: 'GET /api/v1/user/profile', quantile: '0.95' })?.value).toBeCloseTo(0.26, 9);
    expect(find('perf_analyze_api_endpoints_latency_seconds_count', { name: 'GET /api/v1/user/profile' })?.value).toBe(900);
    // a label value with quotes, a backslash and a newline survives escaping
    expect(find('perf_analyze_api_endpoints_latency_seconds', { name: 'POST /login "quoted" \\ back\nslash', quantile: '0.5' })).toBeDefined();
  });

  it('follows the naming conventions: snake_case, no camelCase, no abbreviated or non-base units, no _total on gauges', () => {
    for (const [name, type] of Object.entries(types)) {
      expect(name).toMatch(/^perf_analyze_[a-z0-9_]+$/);
      expect(name).not.toMatch(/_(ms|sec|percent|pct|milliseconds)(_|$)/);
      if (type === 'gauge') expect(name).not.toMatch(/_(total|count|sum|bucket)$/);
    }
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  // CI installs promtool (.ci/run): there a missing one is a failure, not a skip
  (promtool || process.env.CI ? it : it.skip)('passes promtool check metrics (Debian package prometheus)', () => {
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
  });
});

describe('junit', () => {
  it('is well-formed XML: one test case per rule evaluated, failures at or above --fail-on, skipped not-applicable rules', () => {
    const report = richReport();
    const root = parseXml(renderJunit(report, 'warning'));
    expect(root.name).toBe('testsuites');
    const [suite] = childrenNamed(root, 'testsuite');
    const cases = childrenNamed(suite!, 'testcase');
    expect(cases).toHaveLength(report.rules.length);
    const failing = new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId));
    const failed = cases.filter((c) => childrenNamed(c, 'failure').length === 1);
    expect(failed.map((c) => c.attributes.name).sort()).toEqual([...failing].sort());
    const skipped = cases.filter((c) => childrenNamed(c, 'skipped').length === 1);
    expect(skipped.map((c) => c.attributes.name)).toEqual(report.rules.filter((r) => r.outcome === 'not-applicable').map((r) => r.ruleId));
    for (const element of [root, suite!]) {
      expect(element.attributes).toMatchObject({ tests: String(cases.length), failures: String(failed.length), skipped: String(skipped.length), errors: '0' });
    }
    // the evidence is in the failure
    const regression = failed.find((c) => c.attributes.name === 'baseline-regression')!;
    expect(childrenNamed(regression, 'failure')[0]!.text).toContain('Evidence: api.endpoints[name=GET /api/v1/user/profile].latency.p95Ms = 260 ms');
  });

  it('a rule that threw is an <error> with what it threw, counted in errors', () => {
    const report = buildReport({ findings: [], rules: [{ ruleId: 'host-disk-space', outcome: 'error', findings: 0, reason: 'rule failed: boom' }, { ruleId: 'host-iowait', outcome: 'passed', findings: 0 }] });
    const root = parseXml(renderJunit(report, 'critical'));
    const [suite] = childrenNamed(root, 'testsuite');
    const [broken] = childrenNamed(suite!, 'testcase').filter((c) => c.attributes.name === 'host-disk-space');
    expect(childrenNamed(broken!, 'error')[0]!.attributes).toMatchObject({ message: 'rule failed: boom', type: 'rule-error' });
    for (const element of [root, suite!]) expect(element.attributes).toMatchObject({ tests: '2', errors: '1', failures: '0', skipped: '0' });
  });

  it('--fail-on critical: warnings are in system-out, not failures; none: no failure at all', () => {
    const report = buildReport({ findings: [buildFinding({ severity: 'warning', message: 'bad \u0007 <chars> & "quotes"' })] });
    const critical = parseXml(renderJunit(report, 'critical'));
    expect(critical.attributes.failures).toBe('0');
    const none = parseXml(renderJunit(buildReport(), 'none'));
    expect(none.attributes.failures).toBe('0');
    const all = parseXml(renderJunit(buildReport(), 'info'));
    expect(Number(all.attributes.failures)).toBeGreaterThan(0);
  });
});

describe('md', () => {
  it('has the score, a findings table with one row per finding, and the regressions table', () => {
    const report = richReport();
    const lines = renderMarkdown(report).split('\n');
    expect(lines[0]).toMatch(new RegExp(`^## perf-analyze: ${report.assessment} — health ${report.scores.health}/100`));
    const tables: string[][] = [];
    let current: string[] | undefined;
    for (const line of lines) {
      if (line.startsWith('|')) (current ??= (tables.push([]), tables[tables.length - 1]!)).push(line);
      else current = undefined;
    }
    const cells = (row: string) => row.slice(1, -1).split(/(?<!\\)\|/).length;
    for (const table of tables) {
      expect(table[1]).toMatch(/^\|( --- \|)+$/);
      for (const row of table) expect(cells(row)).toBe(cells(table[0]!));
    }
    const findingsTable = tables.find((t) => t[0]!.startsWith('| Severity | Subject |'))!;
    expect(findingsTable).toHaveLength(2 + report.findings.length);
    const regressionsTable = tables.find((t) => t[0]!.startsWith('| Metric | Baseline |'))!;
    expect(regressionsTable).toHaveLength(3);
    expect(regressionsTable[2]).toContain('api.endpoints[name=GET /api/v1/user/profile].latency.p95Ms');
    // no diagnosis finding: no root-cause table
    expect(tables.some((t) => t[0]!.startsWith('| Severity | Root cause |'))).toBe(false);
  });

  it('leads with the root causes, ordered by the estimated saving, before the scores', () => {
    const cause = (title: string, saving: number, severity: 'warning' | 'critical') =>
      buildFinding({ ruleId: 'diagnosis-root-cause', severity, category: 'api', subject: `endpoint:${title}`, title, recommendation: `fix ${title}`, estimatedSavingMsPerRequest: saving });
    const report = buildReport({ findings: [cause('GET /a: root cause one query', 3, 'critical'), cause('GET /b: root cause a missing index on public.orders', 25.5, 'warning')] });
    const text = renderMarkdown(report);
    expect(text.indexOf('### Root causes')).toBeLessThan(text.indexOf('### Scores'));
    const rows = text.split('\n').filter((line) => line.startsWith('| ') && line.includes('root cause'));
    expect(rows[0]).toContain('| ⚠️ warning | GET /b: root cause a missing index on public.orders | 25.5 ms per request | fix GET /b');
    expect(rows[1]).toContain('| 🚨 critical | GET /a: root cause one query | 3 ms per request |');
  });
});

describe('GitHub annotations', () => {
  it('error for critical, warning for warning, at or above --fail-on only, escaped', () => {
    const report = buildReport({
      findings: [
        buildFinding({ severity: 'critical', subject: 'host:disk:/', title: 'Disk, almost full: 96%', message: 'line1\nline2 100%' }),
        buildFinding({ severity: 'warning' }),
        buildFinding({ severity: 'info' }),
      ],
    });
    const lines = renderAnnotations(report, 'warning');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error title=host%3Adisk%3A\/%3A Disk%2C almost full%3A 96%25::line1 line2 100%25%0AEvidence: /);
    expect(lines[1]).toMatch(/^::warning title=/);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(renderAnnotations(report, 'none')).toEqual([]);
  });

  it('stays within GitHub limits: at most 10 per level and a notice for the rest', () => {
    const findings = Array.from({ length: 25 }, (_, i) => buildFinding({ severity: 'critical', subject: `host:disk:/d${i}` }));
    const lines = renderAnnotations(buildReport({ findings }), 'critical');
    expect(lines.filter((line) => line.startsWith('::error'))).toHaveLength(ANNOTATIONS_PER_LEVEL);
    expect(lines[lines.length - 1]).toMatch(/^::notice title=perf-analyze::15 more findings/);
  });
});

describe('text summary with a baseline', () => {
  it('has a SINCE THE BASELINE section with the regression and its numbers, within the width', async () => {
    const { textReporter } = await import('../../src/reporters/text.js');
    // the section comes from report.baseline; the hand-built api metrics above are not ApiMetrics, so the API section is left out
    const report = richReport();
    const { api: _api, ...metrics } = report.metrics;
    const text = textReporter.render({ ...report, metrics }, { color: false, files: {} });
    expect(text).toContain('SINCE THE BASELINE');
    expect(text).toMatch(/api\.endpoints\[name=GET \/api\/v1\/user\/profile\]\.latency\.p95Ms: 120 ms -> 260 ms/);
    expect(text.split('\n').every((line) => line.length <= 100)).toBe(true);
    expect(textReporter.render(buildReport(), { color: false, files: {} })).not.toContain('SINCE THE BASELINE');
  });
});
