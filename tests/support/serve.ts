import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';
import { freePort } from './free-port.js';

/** A `perf-analyze serve` started from the built binary on a free loopback port. */
export interface RunningServe {
  child: ChildProcess;
  base: string;
  output: () => string;
}

export async function startServe(args: string[], cwd: string): Promise<RunningServe> {
  const port = await freePort();
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (!output.includes('Ctrl-C to stop')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, base: `http://127.0.0.1:${port}`, output: () => output };
}

/** Ctrl-C, then the exit code. */
export async function stopServe(running: RunningServe): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
  running.child.kill('SIGINT');
  return exited;
}
