import { beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds.js';
import { runCli, tempDir } from '../support/cli.js';
import { checkExposition } from '../support/prom-check.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { buildReport } from '../support/report-fixture.js';

/** thresholds so high that this host raises no finding; memory at `level` when asked (see run.test.ts) */
function thresholds(level: 'none' | 'critical') {
  const relaxed: Record<string, Record<string, number>> = {};
  for (const [key, levels] of Object.entries(DEFAULT_THRESHOLDS)) {
    relaxed[key] = Object.fromEntries(Object.keys(levels).map((name, index) => [name, 1e9 + index]));
  }
  if (level === 'critical') relaxed.memory = { normal: 0, info: 0.001, warning: 0.002, critical: 0.003 };
  return relaxed;
}

async function config(dir: string, name: string, extra: Record<string, unknown> = {}, level: 'none' | 'critical' = 'none') {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ system: { sampleSeconds: 0.3 }, thresholds: thresholds(level), ...extra }));
  return file;
}

/** A saved report (the fixture, schema 1.0.0) with its own start time and host metrics changed. */
function savedReport(startedAt: string, change: (metrics: ReturnType<typeof buildReport>['metrics']) => void = () => {}) {
  const report = JSON.parse(JSON.stringify(buildReport({ startedAt }))) as ReturnType<typeof buildReport>;
  change(report.metrics);
  return report;
}

const write = (file: string, value: unknown) => writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));

describe('perf-analyze compare (built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await write(path.join(dir, 'old.json'), savedReport('2026-01-01T03:15:00.000Z'));
    await write(path.join(dir, 'new.json'), savedReport('2026-01-02T03:15:00.000Z', (m) => {
      m.system!.mounts[1]!.usedPercent.value = 45; // /boot from 11.9 % to 45 %: a regression
      m.system!.cpu.totalPercent.value = 49.1; // +1.8 points: noise
    }));
    await write(path.join(dir, 'truncated.json'), JSON.stringify(savedReport('2026-01-03T03:15:00.000Z')).slice(0, 500));
    await write(path.join(dir, 'foreign.json'), { name: 'some-package', version: '1.0.0' });
  });

  test('a readable table: the regression, not the noise; exit 1', async () => {
    const result = await runCli(['compare', 'old.json', 'new.json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Regressions (1)');
    expect(result.stdout).toMatch(/system\.mounts\[mount=\/boot\]\.usedPercent\s+11\.9%\s+45%\s+\+33\.1%/);
    expect(result.stdout).not.toMatch(/cpu\.totalPercent/);
  });

  test('--json: the comparison as JSON', async () => {
    const result = await runCli(['compare', 'old.json', 'new.json', '--json'], { cwd: dir });
    const comparison = JSON.parse(result.stdout);
    expect(comparison.regressions).toEqual(['system.mounts[mount=/boot].usedPercent']);
    expect(comparison.findings.unchanged.length).toBe(buildReport().findings.length);
    expect(comparison.metrics.find((m: { metric: string }) => m.metric === 'system.cpu.totalPercent').verdict).toBe('unchanged');
  });

  test('the same report twice: exit 0; a truncated or foreign file: exit 2 naming it', async () => {
    expect((await runCli(['compare', 'old.json', 'old.json'], { cwd: dir })).code).toBe(0);
    for (const bad of ['truncated.json', 'foreign.json', 'missing.json']) {
      const result = await runCli(['compare', 'old.json', bad], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(bad);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('perf-analyze history (built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    const reports = path.join(dir, 'reports');
    await mkdir(reports);
    const days = [1, 2, 3, 4];
    for (const day of days) {
      const report = savedReport(`2026-01-0${day}T03:15:00.000Z`, (m) => {
        m.system!.memory.usedPercent.value = 50 + day * 10;
      });
      // day 1: an older schema version without scores.components and rules (read where possible)
      if (day === 1) {
        const old = report as unknown as Record<string, unknown>;
        old.schemaVersion = '1.0.0';
        delete old.rules;
        (old.scores as Record<string, unknown>).components = undefined;
      } else {
        report.schemaVersion = '1.1.0';
        report.scores.health = 60 + day;
      }
      await write(path.join(reports, `performance_analysis_report_2026010${day}_031500.json`), report);
    }
    await write(path.join(reports, 'performance_analysis_report_20260105_031500.json'), '{"schemaVersion": "1.1.0", "metrics": {"sys');
    await write(path.join(reports, 'other-tool.json'), { results: [1, 2, 3] });
    await write(path.join(reports, 'future.json'), { ...savedReport('2027-01-01T00:00:00.000Z'), schemaVersion: '2.0.0' });
  });

  test('a trend table with a sparkline; corrupt, foreign and newer files skipped with a warning naming them', async () => {
    const result = await runCli(['history', '--dir', 'reports'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/skipped reports\/performance_analysis_report_20260105_031500\.json: not valid JSON/);
    expect(result.stderr).toMatch(/skipped reports\/other-tool\.json: not a perf-analyze report/);
    expect(result.stderr).toMatch(/skipped reports\/future\.json: report schema 2\.0\.0 is newer/);
    expect(result.stdout).toMatch(/^4 reports in reports from 2026-01-01T03:15:00.000Z to 2026-01-04T03:15:00.000Z; 3 skipped/);
    expect(result.stdout).toMatch(/system\.memory\.usedPercent\s+4\s+60%\s+90%\s+60%\s+90%\s+▁▃▆█/);
    expect(result.stdout).toMatch(/scores\.health\s+4\s/);
  });

  test('--metric picks metrics (with *), --json gives the values', async () => {
    const result = await runCli(['history', '--dir', 'reports', '--metric', 'system.mounts[*].usedPercent', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const history = JSON.parse(result.stdout);
    expect(history.metrics.map((m: { metric: string }) => m.metric)).toEqual([
      'system.mounts[mount=/].usedPercent',
      'system.mounts[mount=/boot].usedPercent',
    ]);
    expect(history.reports.map((r: { schemaVersion: string }) => r.schemaVersion)).toEqual(['1.0.0', '1.1.0', '1.1.0', '1.1.0']);
    expect(history.skipped).toHaveLength(3);
  });

  test('a directory without reports: exit 2', async () => {
    const empty = await tempDir();
    const result = await runCli(['history', '--dir', empty], { cwd: empty });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(empty);
  });
});

describe('perf-analyze run with baselines (built binary)', () => {
  let work: string;
  beforeAll(async () => {
    work = await tempDir();
  });

  test('--baseline latest compares with the newest earlier report and skips an unreadable one', async () => {
    const out = path.join(work, 'latest');
    await mkdir(out);
    await write(path.join(out, 'performance_analysis_report_20200101_031500.json'), savedReport('2020-01-01T03:15:00.000Z'));
    await write(path.join(out, 'performance_analysis_report_20200102_031500.json'), savedReport('2020-01-02T03:15:00.000Z'));
    await write(path.join(out, 'performance_analysis_report_20200103_031500.json'), '{"truncated');
    const result = await runCli(['-c', await config(work, 'plain'), '-o', out, '--baseline', 'latest', '--json'], { cwd: work });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.schemaVersion).toBe('1.2.0');
    expect(report.baseline.file).toBe(path.join(out, 'performance_analysis_report_20200102_031500.json'));
    expect(report.baseline.startedAt).toBe('2020-01-02T03:15:00.000Z');
    expect(report.baseline.findings.resolved.length).toBe(buildReport().findings.length);
    expect(report.notMeasured.join('\n')).toMatch(/skipped .*20200103_031500\.json: not valid JSON/);
  });

  test('--baseline latest on the first night: no comparison, a note, exit 0', async () => {
    const out = path.join(work, 'first');
    const result = await runCli(['-c', await config(work, 'plain'), '-o', out, '--baseline', 'latest', '--json'], { cwd: work });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.baseline).toBeUndefined();
    expect(report.notMeasured.join('\n')).toMatch(/no earlier report/);
  });

  test('a regression is a finding that counts towards --fail-on; --fail-on-regression fails the run', async () => {
    const baselineFile = path.join(work, 'baseline.json');
    const baseline = savedReport('2020-01-01T03:15:00.000Z');
    baseline.metrics = { system: { memory: { usedPercent: { value: 0, unit: '%', sampling: 'gauge' } } } } as never;
    baseline.findings = [];
    await write(baselineFile, baseline);
    // any memory use is above 0 % by more than 0.0001 points: a regression on every host
    const cfg = await config(work, 'tight', { baseline: { absolute: { '%': 0.0001 }, relativePercent: 0 } });
    const plain = await runCli(['-c', cfg, '-o', path.join(work, 'r1'), '--baseline', baselineFile, '--json'], { cwd: work });
    expect(plain.code).toBe(0); // a regression is a warning; --fail-on is critical
    const report = JSON.parse(plain.stdout);
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.baseline.regressions).toEqual(['system.memory.usedPercent']);
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'baseline-regression', category: 'regression', severity: 'warning', subject: 'host:memory' }),
    ]);
    expect(report.rules).toContainEqual({ ruleId: 'baseline-regression', outcome: 'failed', findings: 1 });
    expect(report.summary.warning).toBe(1);
    const failOnWarning = await runCli(['-c', cfg, '-o', path.join(work, 'r2'), '--baseline', baselineFile, '--fail-on', 'warning', '--quiet'], { cwd: work });
    expect(failOnWarning.code).toBe(1);
    const failOnRegression = await runCli(['-c', cfg, '-o', path.join(work, 'r3'), '--baseline', baselineFile, '--fail-on', 'none', '--fail-on-regression', '--quiet'], { cwd: work });
    expect(failOnRegression.code).toBe(1);
    const noRegression = await runCli(['-c', cfg, '-o', path.join(work, 'r4'), '--baseline', path.join(work, 'r1', 'latest.json'), '--fail-on-regression', '--quiet'], { cwd: work });
    expect([0, 1]).toContain(noRegression.code); // host metrics move between runs; the exit code follows the comparison:
    const again = JSON.parse(await readFile(path.join(work, 'r4', 'latest.json'), 'utf8'));
    expect(noRegression.code).toBe(again.baseline.regressions.length > 0 ? 1 : 0);
  });

  test('--baseline with a missing or foreign file: exit 2, nothing written', async () => {
    await write(path.join(work, 'foreign.json'), { hello: 'world' });
    for (const bad of ['nope.json', 'foreign.json']) {
      const out = path.join(work, `bad-${bad}`);
      const result = await runCli(['-o', out, '--baseline', bad, '--sample-seconds', '0.3'], { cwd: work });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(bad);
      await expect(readdir(out).then((names) => names.filter((n) => !n.startsWith('.')))).resolves.toEqual([]);
    }
  });

  test('--keep N keeps the newest N runs (every format) and a latest.json pointer; other files are left alone', async () => {
    const out = path.join(work, 'keep');
    await mkdir(out);
    for (const stamp of ['20200101_031500', '20200102_031500', '20200103_031500']) {
      await write(path.join(out, `performance_analysis_report_${stamp}.json`), savedReport('2020-01-01T03:15:00.000Z'));
      await write(path.join(out, `performance_executive_summary_${stamp}.txt`), 'summary');
    }
    await write(path.join(out, 'notes.txt'), 'mine');
    const result = await runCli(['-c', await config(work, 'plain'), '-o', out, '--keep', '2', '--format', 'json,text,prom', '--quiet'], { cwd: work });
    expect(result.code).toBe(0);
    const written = path.basename(result.stdout.trim());
    const names = (await readdir(out)).sort();
    const stamp = /_(\d{8}_\d{6})\.json$/.exec(written)![1]!;
    expect(names).toEqual(
      [
        'latest.json',
        'notes.txt',
        'performance_analysis_report_20200103_031500.json',
        'performance_executive_summary_20200103_031500.txt',
        `performance_analysis_report_${stamp}.json`,
        `performance_executive_summary_${stamp}.txt`,
        `performance_metrics_${stamp}.prom`,
      ].sort(),
    );
    expect(await readlink(path.join(out, 'latest.json'))).toBe(written);
    const bad = await runCli(['-o', out, '--keep', '0'], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--keep/);
  });

  test('--pushgateway pushes the Prometheus text to a local server; a failing gateway is a warning, not a failure', async () => {
    const received: Array<{ method?: string; url?: string; type?: string; body: string }> = [];
    let status = 200;
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, type: request.headers['content-type'], body });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const result = await runCli(['-c', await config(work, 'plain'), '-o', path.join(work, 'push'), '--pushgateway', `http://127.0.0.1:${port}/`, '--quiet'], { cwd: work });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(received).toHaveLength(1);
      expect(received[0]!.method).toBe('PUT');
      expect(received[0]!.url).toMatch(/^\/metrics\/job\/perf_analyze\/instance\/[^/]+$/);
      expect(received[0]!.type).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(checkExposition(received[0]!.body).problems).toEqual([]);
      expect(received[0]!.body).toMatch(/^perf_analyze_health_score \d/m);
      status = 500;
      const failing = await runCli(['-c', await config(work, 'plain'), '-o', path.join(work, 'push2'), '--pushgateway', `http://user:secret@127.0.0.1:${port}`, '--quiet'], { cwd: work });
      expect(failing.code).toBe(0);
      expect(failing.stderr).toMatch(/answered HTTP 500/);
      expect(failing.stderr).not.toContain('secret');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('in GitHub Actions: annotations for findings at or above --fail-on and the Markdown summary in GITHUB_STEP_SUMMARY', async () => {
    const summary = path.join(work, 'step-summary.md');
    await write(summary, 'earlier step\n');
    const cfg = await config(work, 'critical', {}, 'critical');
    const result = await runCli(['-c', cfg, '-o', path.join(work, 'gh'), '--format', 'json,md,junit', '--no-color'], {
      cwd: work,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=host%3Amemory%3A .*::.*Evidence: system\.memory\.usedPercent = /m);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('earlier step\n## perf-analyze: ')).toBe(true);
    expect(text).toContain('| 🚨 critical | host:memory |');
    const outside = await runCli(['-c', cfg, '-o', path.join(work, 'gh2'), '--no-color'], { cwd: work, env: { GITHUB_ACTIONS: '' } });
    expect(outside.stdout).not.toContain('::error');
  });
});
