import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../support/cli.js';

const work = await mkdtemp(path.join(os.tmpdir(), 'perf-html-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('perf-analyze --format html', () => {
  it('writes one self-contained HTML report beside the JSON, with the same numbers', async () => {
    const out = path.join(work, 'reports');
    const result = await runCli(['-o', out, '--sample-seconds', '0.3', '--format', 'json,html', '--fail-on', 'none', '--quiet'], { cwd: work });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = await readdir(out);
    const htmlFile = files.find((name) => /^performance_analysis_report_\d{8}_\d{6}\.html$/.test(name));
    const jsonFile = files.find((name) => /^performance_analysis_report_\d{8}_\d{6}\.json$/.test(name));
    expect(htmlFile).toBeDefined();
    expect(htmlFile!.replace('.html', '.json')).toBe(jsonFile);
    const html = await readFile(path.join(out, htmlFile!), 'utf8');
    const report = JSON.parse(await readFile(path.join(out, jsonFile!), 'utf8'));
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toMatch(/uPlot/);
    expect(html).toContain(`>${report.scores.health.toFixed(1)}<`);
    expect(html).toContain(`>${report.assessment}<`);
    for (const finding of report.findings) expect(html).toContain(finding.subject);
  }, 60_000);
});
