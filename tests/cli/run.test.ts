import { describe, expect, test, beforeAll } from '@jest/globals';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPORTERS } from '../../src/reporters/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds.js';
import { runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/report-schema.js';

const ESC = '\u001b[';
const REPORT_NAME = /^performance_analysis_report_(\d{8}_\d{6})\.json$/;
const SUMMARY_NAME = /^performance_executive_summary_(\d{8}_\d{6})\.txt$/;

/**
 * Thresholds set so high that this host raises no finding, then `memory` lowered so
 * that its used share (always > 0 %) crosses exactly the wanted level: the exit code
 * then depends on --fail-on alone, not on how busy the CI machine is.
 */
function thresholdsWithMemoryAt(level: 'none' | 'info' | 'critical') {
  const relaxed: Record<string, Record<string, number>> = {};
  for (const [key, levels] of Object.entries(DEFAULT_THRESHOLDS)) {
    relaxed[key] = Object.fromEntries(Object.keys(levels).map((name, index) => [name, 1e9 + index]));
  }
  if (level === 'info') relaxed.memory = { normal: 0, info: 0.001, warning: 1e9, critical: 1e9 + 1 };
  if (level === 'critical') relaxed.memory = { normal: 0, info: 0.001, warning: 0.002, critical: 0.003 };
  return relaxed;
}

async function configFile(dir: string, level: 'none' | 'info' | 'critical'): Promise<string> {
  const file = path.join(dir, `config-${level}.json`);
  await writeFile(file, JSON.stringify({ system: { sampleSeconds: 0.3 }, thresholds: thresholdsWithMemoryAt(level) }));
  return file;
}

/** the files of the run, without the latest.json pointer (tests/cli/baseline.test.ts checks that) */
const reportFiles = async (dir: string) => (await readdir(dir)).filter((name) => name !== 'latest.json').sort();

describe('perf-analyze run (built binary)', () => {
  let work: string;
  beforeAll(async () => {
    work = await tempDir();
  });

  test('writes both files with the contract names, valid JSON, and the final box', async () => {
    const out = path.join(work, 'default');
    const result = await runCli(['-c', await configFile(work, 'none'), '-o', out], { cwd: work });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const files = await reportFiles(out);
    expect(files).toHaveLength(2);
    const [jsonName, textName] = files as [string, string];
    const jsonStamp = REPORT_NAME.exec(jsonName)?.[1];
    expect(jsonStamp).toBeDefined();
    expect(SUMMARY_NAME.exec(textName)?.[1]).toBe(jsonStamp);
    const report = JSON.parse(await readFile(path.join(out, jsonName), 'utf8'));
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.phases.map((phase: { id: string }) => phase.id)).toEqual([
      'prerequisites', 'system', 'docker', 'database', 'api', 'insights', 'report',
    ]);
    expect(report.interrupted).toBe(false);
    expect(report.metrics.system.windowMs).toBeGreaterThan(250);
    expect(result.stdout).toContain('PERFORMANCE ANALYSIS COMPLETE');
    expect(result.stdout).toContain(path.join(out, jsonName));
    expect(result.stdout).toContain(path.join(out, textName));
    expect(await readFile(path.join(out, textName), 'utf8')).toContain(report.assessment);
  });

  test('--json prints only the report on stdout, the same one that was written', async () => {
    const out = path.join(work, 'json');
    const result = await runCli(['-c', await configFile(work, 'none'), '-o', out, '--json'], { cwd: work });
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    const [jsonName] = await reportFiles(out);
    const written = JSON.parse(await readFile(path.join(out, jsonName!), 'utf8'));
    expect(printed).toEqual(written);
  });

  test.each([
    ['critical', 'critical', [], 1],
    ['critical', 'critical', ['--fail-on', 'none'], 0],
    ['info', 'info', ['--fail-on', 'info'], 1],
    ['info', 'info', ['--fail-on', 'warning'], 0],
    ['info', 'info', [], 0],
    ['none', 'none', ['--fail-on', 'info'], 0],
  ] as const)('memory finding at %s, %s fixture, flags %j -> exit %d', async (_label, level, flags, expected) => {
    const out = path.join(work, `fail-on-${level}-${flags.join('')}`);
    const result = await runCli(['-c', await configFile(work, level), '-o', out, '--quiet', ...flags], { cwd: work });
    expect(result.code).toBe(expected);
    // --quiet: only the report path on stdout, nothing on stderr
    expect(result.stdout.trim()).toMatch(/\/performance_analysis_report_\d{8}_\d{6}\.json$/);
    expect(result.stderr).toBe('');
  });

  test('FORCE_COLOR gives colour; NO_COLOR and --no-color remove every escape code', async () => {
    const config = await configFile(work, 'critical');
    const forced = await runCli(['-c', config, '-o', path.join(work, 'c1')], { cwd: work, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(ESC);
    const noColorEnv = await runCli(['-c', config, '-o', path.join(work, 'c2')], { cwd: work, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    const noColorFlag = await runCli(['-c', config, '-o', path.join(work, 'c3'), '--no-color'], { cwd: work, env: { FORCE_COLOR: '1' } });
    for (const result of [noColorEnv, noColorFlag]) {
      expect(result.stdout).toContain('PERFORMANCE ANALYSIS COMPLETE');
      expect(result.stdout + result.stderr).not.toContain(ESC);
    }
  });

  test('Ctrl-C during sampling writes a valid partial report and exits 130', async () => {
    const out = path.join(work, 'interrupted');
    const result = await runCli(['-o', out, '--sample-seconds', '20'], {
      cwd: work,
      onSpawn: (child, output) => {
        const poll = setInterval(() => {
          // prerequisites has ended: the system phase is sampling now
          if (output.stderr().includes('Checking prerequisites')) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGINT'), 300);
          }
        }, 20);
      },
    });
    expect(result.code).toBe(130);
    const [jsonName] = await reportFiles(out);
    const report = JSON.parse(await readFile(path.join(out, jsonName!), 'utf8'));
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.interrupted).toBe(true);
    const system = report.phases.find((phase: { id: string }) => phase.id === 'system');
    expect(system.status).toBe('partial');
    expect(report.metrics.system.windowMs).toBeLessThan(10_000);
    expect(result.stdout).toContain('INTERRUPTED');
  });

  test('a read-only output directory: exit 2, a message naming it, no file left behind', async () => {
    const out = path.join(work, 'read-only');
    await mkdir(out);
    await chmod(out, 0o555);
    // root ignores permission bits: run as nobody then
    const asUser = process.getuid?.() === 0 ? { uid: 65534 } : {};
    const result = await runCli(['-o', out, '--sample-seconds', '0.3'], { cwd: work, ...asUser });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(out);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readdir(out)).toEqual([]);
  });

  test.each([
    [['--sample-seconds', 'abc'], /sample-seconds/],
    [['--fail-on', 'fatal'], /fail-on/],
    [['--format', 'json,pdf'], /pdf/],
    [['--bogus'], /unknown option/],
    [['-c', 'does-not-exist.yaml'], /does-not-exist\.yaml/],
  ])('bad input %j: exit 2, message, nothing written', async (args, message) => {
    const out = path.join(work, `bad-${args.join('')}`.replace(/[^a-z0-9-]/gi, '_'));
    const result = await runCli(['-o', out, ...args], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  test('an unknown config key names the key with a suggestion', async () => {
    const file = path.join(work, 'typo.yaml');
    await writeFile(file, 'outputDir: x\nsystem:\n  sampleSecond: 2\n');
    const result = await runCli(['-c', file], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sampleSecond/);
    expect(result.stderr).toMatch(/sampleSeconds/);
  });
});

describe('perf-analyze --help, --version, init', () => {
  test('--version prints the package version', async () => {
    const result = await runCli(['--version'], { cwd: await tempDir() });
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  test('--help shows examples for the terminal, cron and CI', async () => {
    const result = await runCli(['run', '--help'], { cwd: await tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/cron/);
    expect(result.stdout).toMatch(/flock/);
    expect(result.stdout).toMatch(/--fail-on/);
    expect(result.stdout).toMatch(/CI/);
  });

  test('the help of run and demo, and the README, list every report format the registry has', async () => {
    const cwd = await tempDir();
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `--format <list>`'))!;
    for (const command of ['run', 'demo']) {
      const result = await runCli([command, '--help'], { cwd });
      expect(result.stdout.replace(/\s+/g, ' ')).toContain(`report formats: ${Object.keys(REPORTERS).join(',')} `);
    }
    for (const format of Object.keys(REPORTERS)) expect(row).toContain(`\`${format}\``);
  });

  test('init writes a starter config that runs, and will not overwrite it', async () => {
    const dir = await tempDir();
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    const text = await readFile(path.join(dir, 'perf-analyze.yaml'), 'utf8');
    expect(text).toMatch(/config\.schema\.json/);
    const second = await runCli(['init'], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already exists/);
    const run = await runCli(['-c', 'perf-analyze.yaml', '--sample-seconds', '0.3', '--quiet'], { cwd: dir });
    expect([0, 1]).toContain(run.code);
  });
});
