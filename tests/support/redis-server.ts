import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from '../../src/demo/services.js';

/**
 * A throw-away redis-server for one test file, on a free loopback port, with the
 * settings the test needs (maxmemory, requirepass, enable-debug-command...).
 */
export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(settings: Record<string, string | number> = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  for (const [key, value] of Object.entries(settings)) args.push(`--${key}`, String(value));
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitForPort(port, 5000).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on ${port}: ${error.message}\n${output}`);
  });
  const password = settings.requirepass;
  return {
    port,
    url: password ? `redis://:${password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

