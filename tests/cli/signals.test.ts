/**
 * Signals and a closed stdout: SIGHUP does not stop a run, a reader that goes away does not crash
 * it, a second Ctrl-C ends it at once, and a partial report that takes too long is given up
 * 10 s after the first Ctrl-C.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { BIN, REPO_ROOT, runCli, tempDir } from '../support/cli.js';

const reportsIn = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith('performance_analysis_report_'));

describe('signals and a closed output', () => {
  test('SIGHUP (the terminal closed) does not stop the run: it ends normally with its report', async () => {
    const work = await tempDir();
    const out = path.join(work, 'reports');
    const result = await runCli(['-o', out, '--sample-seconds', '1.5', '--fail-on', 'none'], {
      cwd: work,
      onSpawn: (child) => void setTimeout(() => child.kill('SIGHUP'), 500),
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(await reportsIn(out)).toHaveLength(1);
  });

  test('stdout closed by its reader (`perf-analyze | head -1`): no crash, the report is written, the usual exit code', async () => {
    const work = await tempDir();
    const out = path.join(work, 'reports');
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [BIN, '-o', out, '--sample-seconds', '0.3', '--fail-on', 'none'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // the reader goes away before the summary is printed
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(stderr).not.toMatch(/internal error|EPIPE/);
    expect(code).toBe(0);
    expect(await reportsIn(out)).toHaveLength(1);
  });

  test('a second Ctrl-C ends the run at once', async () => {
    const work = await tempDir();
    let secondAt = 0;
    const result = await runCli(['-o', path.join(work, 'reports'), '--sample-seconds', '20'], {
      cwd: work,
      onSpawn: (child, output) => {
        const watch = setInterval(() => {
          if (!/Sampling host resources|Checking prerequisites/.test(output.stderr())) return;
          clearInterval(watch);
          child.kill('SIGINT');
          setTimeout(() => {
            secondAt = performance.now();
            child.kill('SIGINT');
          }, 20);
        }, 20);
        child.once('exit', () => clearInterval(watch));
      },
    });
    const endedAt = performance.now();
    // ended by the second signal itself, or (on a host that let the run finish its partial report in
    // the 20 ms between the two) by the first one with 130; either way it is gone at once
    expect(result.signal === 'SIGINT' || result.code === 130).toBe(true);
    expect(endedAt - secondAt).toBeLessThan(3000);
  });

  test('a second Ctrl-C while the partial report is still being written kills the process with the signal', async () => {
    // work that never ends after the first Ctrl-C: only the second signal can stop it before the watchdog
    const script = `
      const { handleInterrupts } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'commands', 'interrupts.js'))});
      handleInterrupts({ message: 'interrupted; writing a partial report' });
      setInterval(() => undefined, 1000);
      process.stderr.write('ready\\n');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let secondAt = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/ready/.test(stderr) && !/interrupted/.test(stderr) && !child.killed) child.kill('SIGINT');
      if (/interrupted/.test(stderr) && secondAt === 0) {
        secondAt = performance.now();
        child.kill('SIGINT');
      }
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (_code, exitSignal) => {
        clearTimeout(timer);
        resolve(exitSignal);
      });
    });
    expect(signal).toBe('SIGINT');
    expect(secondAt).toBeGreaterThan(0);
    expect(performance.now() - secondAt).toBeLessThan(3000);
  }, 40_000);

  test('a partial report that takes longer than 10 s after the first Ctrl-C is given up: the process ends', async () => {
    // a command whose work never ends: only the watchdog can stop it
    const script = `
      const { handleInterrupts } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'commands', 'interrupts.js'))});
      handleInterrupts({ message: 'interrupted' });
      setInterval(() => undefined, 1000);
      process.kill(process.pid, 'SIGINT');
    `;
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (_code, exitSignal) => {
        clearTimeout(timer);
        resolve(exitSignal);
      });
    });
    const elapsed = performance.now() - started;
    expect(signal).toBe('SIGINT');
    expect(stderr).toMatch(/took longer than 10 s; quitting now/);
    expect(elapsed).toBeGreaterThan(9_000);
    expect(elapsed).toBeLessThan(25_000);
  }, 40_000);
});
