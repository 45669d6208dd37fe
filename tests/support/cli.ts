import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, chmod, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'bin', 'perf-analyze.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** run as this user id (tests that root would bypass, e.g. permissions) */
  uid?: number;
  /** called with the child once it runs, e.g. to send SIGINT */
  onSpawn?: (child: ChildProcess, output: { stderr: () => string }) => void;
  timeoutMs?: number;
}

/** Runs the built binary (dist/ must be built: `npm test` builds first) and collects its output. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child, { stderr: () => stderr });
  });
}

/** A fresh temp directory, readable by every user (so a test can run the binary as nobody). */
export async function tempDir(prefix = 'perf-analyze-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/**
 * Runs one analysis into a fresh reports directory and reads what it wrote: every file's text (to
 * check that a secret is nowhere) and the JSON report. `args` are the run's own flags.
 */
export async function runToReports(args: string[]): Promise<{ result: CliResult; texts: string[]; report: { findings: Array<Record<string, unknown> & { ruleId: string }> } }> {
  const work = await tempDir();
  const out = path.join(work, 'reports');
  const result = await runCli([...args, '-o', out], { cwd: work });
  const files = (await readdir(out)).sort();
  const texts = await Promise.all(files.map((file) => readFile(path.join(out, file), 'utf8')));
  const json = files.findIndex((file) => file.startsWith('performance_analysis_report_'));
  if (json < 0) throw new Error(`no JSON report among ${files.join(', ')}; stderr: ${result.stderr}`);
  return { result, texts, report: JSON.parse(texts[json]!) as { findings: Array<Record<string, unknown> & { ruleId: string }> } };
}
