/**
 * Output paths are checked before any phase runs, and a report that cannot be written leaves nothing
 * behind: each bad path ends with exit 2, one sentence naming the path and the problem, no stack trace,
 * no file. Mounts (read-only, a full disk) need root, as CI runs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, tempDir } from '../support/cli.js';

const quickRun = ['--sample-seconds', '0.2', '--no-load'];

function expectRefused(result: { code: number | null; stderr: string }, dir: string, problem: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`cannot write reports to ${dir}`);
  expect(result.stderr).toMatch(problem);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('output paths checked up front', () => {
  let work: string;
  const mounts: string[] = [];
  beforeAll(async () => {
    work = await tempDir();
  });
  afterAll(() => {
    for (const mount of mounts.reverse()) execFileSync('umount', [mount]);
  });

  async function mountTmpfs(name: string, options: string): Promise<string> {
    if (process.getuid?.() !== 0) throw new Error('this test mounts a tmpfs and needs root (CI runs as root)');
    const dir = path.join(work, name);
    await mkdir(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'perf-analyze-test', dir]);
    mounts.push(dir);
    return dir;
  }

  test.each([
    ['/proc/perf-analyze-out', /inside \/proc, a kernel pseudo file system/],
    ['/sys/kernel/perf-analyze-out', /inside \/sys, a kernel pseudo file system/],
    ['/dev/perf-analyze-out', /inside \/dev, a kernel pseudo file system/],
  ])('%s: a pseudo file system, refused at once (before, this hung for ever)', async (dir, problem) => {
    const result = await runCli(['-o', dir, ...quickRun], { cwd: work, timeoutMs: 15_000 });
    expect(result.signal).toBeNull();
    expectRefused(result, dir, problem);
  });

  test('a file where the directory should be', async () => {
    const file = path.join(work, 'a-file');
    await writeFile(file, 'x');
    expectRefused(await runCli(['-o', file, ...quickRun], { cwd: work }), file, /is not a directory/);
    const below = path.join(file, 'reports');
    expectRefused(await runCli(['-o', below, ...quickRun], { cwd: work }), below, /is a file, not a directory/);
  });

  test('a directory this user cannot write (run as nobody)', async () => {
    const dir = path.join(work, 'not-mine');
    await mkdir(dir, { mode: 0o755 });
    const asNobody = process.getuid?.() === 0 ? { uid: 65534 } : {};
    const result = await runCli(['-o', path.join(dir, 'reports'), ...quickRun], { cwd: work, ...asNobody });
    expectRefused(result, path.join(dir, 'reports'), /permission denied/);
    expect(await readdir(dir)).toEqual([]);
  });

  test('a read-only mount', async () => {
    const dir = await mountTmpfs('read-only', 'ro,size=1m');
    const result = await runCli(['-o', path.join(dir, 'reports'), ...quickRun], { cwd: work });
    expectRefused(result, path.join(dir, 'reports'), /read-only file system/);
  });

  test('the disk fills while the report is written: exit 2, no file of this run, the previous latest.json untouched', async () => {
    const dir = await mountTmpfs('full', 'size=64k');
    // the previous night's report and its pointer
    const previous = 'performance_analysis_report_20261204_031500.json';
    await writeFile(path.join(dir, previous), '{"previous":true}\n');
    await symlink(previous, path.join(dir, 'latest.json'));
    // fill the disk to a few kB: the up-front probe fits, a report (tens of kB) does not
    await writeFile(path.join(dir, 'ballast'), Buffer.alloc(52 * 1024));
    const before = (await readdir(dir)).sort();

    const result = await runCli(['-o', dir, ...quickRun], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot write the report to .*no space left on the device/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await readdir(dir)).sort()).toEqual(before);
    expect(await readlink(path.join(dir, 'latest.json'))).toBe(previous);
    expect(await readFile(path.join(dir, 'latest.json'), 'utf8')).toBe('{"previous":true}\n');
  });
});
