/** The demo target app (fixtures/target-app/server.mjs) as a child process on a free loopback port. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Service } from './services.js';

/** src/demo or dist/demo: the fixture is two levels up either way. */
export const TARGET_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/target-app/server.mjs');

export interface TargetAppFaults {
  bcryptCost?: number;
  missingIndex?: boolean;
  cacheOff?: boolean;
  latencyMs?: number;
  latencyPaths?: string[];
  errorRate?: number;
  errorPaths?: string[];
  stallEveryMs?: number;
  stallMs?: number;
  loginNoToken?: boolean;
  /** GET /api/v1/user/orders loads each order's product with its own query (N+1) */
  nPlusOne?: boolean;
  /** the app's PostgreSQL pool size (default 10) */
  poolMax?: number;
  /** not an app setting: `perf-analyze demo` runs the app in a Docker container limited to this many cores */
  cpuLimitCores?: number;
}

export interface TargetAppOptions {
  databaseUrl: string;
  redisUrl: string;
  faults?: TargetAppFaults;
  seedUsers?: number;
  redisPrefix?: string;
  demoUser: string;
  demoPassword: string;
  launcher?: AppLauncher;
}

/**
 * How the app process is started: by default `node server.mjs` here; a launcher can wrap it
 * (e.g. `docker run ... node server.mjs` to run it in a container with a CPU limit). It gets the
 * command, its arguments and the app's environment, and returns what to spawn.
 */
export type AppLauncher = ((command: string, args: string[], env: Record<string, string>) => { command: string; args: string[]; env: Record<string, string> }) & {
  /** cleans up after the process ended or was killed (e.g. `docker rm -f`) */
  remove?: () => void;
};

export interface TargetApp extends Service {
  port: number;
}

export function faultEnvironment(faults: TargetAppFaults = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (faults.bcryptCost !== undefined) env.FAULT_BCRYPT_COST = String(faults.bcryptCost);
  if (faults.missingIndex) env.FAULT_MISSING_INDEX = '1';
  if (faults.cacheOff) env.FAULT_CACHE_OFF = '1';
  if (faults.latencyMs !== undefined) env.FAULT_LATENCY_MS = String(faults.latencyMs);
  if (faults.latencyPaths) env.FAULT_LATENCY_PATHS = faults.latencyPaths.join(',');
  if (faults.errorRate !== undefined) env.FAULT_ERROR_RATE = String(faults.errorRate);
  if (faults.errorPaths) env.FAULT_ERROR_PATHS = faults.errorPaths.join(',');
  if (faults.stallEveryMs !== undefined) env.FAULT_STALL_EVERY_MS = String(faults.stallEveryMs);
  if (faults.stallMs !== undefined) env.FAULT_STALL_MS = String(faults.stallMs);
  if (faults.loginNoToken) env.FAULT_LOGIN_NO_TOKEN = '1';
  if (faults.nPlusOne) env.FAULT_N_PLUS_ONE = '1';
  if (faults.poolMax !== undefined) env.FAULT_POOL_MAX = String(faults.poolMax);
  return env;
}

export function startTargetApp(options: TargetAppOptions): Promise<TargetApp> {
  const appEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix ?? 'demo:',
    SEED_USERS: String(options.seedUsers ?? 50_000),
    DEMO_USER: options.demoUser,
    DEMO_PASSWORD: options.demoPassword,
    ...faultEnvironment(options.faults),
  };
  const launch = options.launcher ? options.launcher(process.execPath, [TARGET_APP], appEnv) : { command: process.execPath, args: [TARGET_APP], env: appEnv };
  const child = spawn(launch.command, launch.args, { stdio: ['ignore', 'pipe', 'pipe'], env: launch.env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo target app did not start within 60 s: ${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      options.launcher?.remove?.();
      reject(new Error(`the demo target app exited with code ${code}: ${stderr.trim()}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /\{"listening":(\d+)\}/.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = Number(match[1]);
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) {
            options.launcher?.remove?.();
            return;
          }
          const exited = new Promise((done) => child.once('exit', done));
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(killer);
          options.launcher?.remove?.();
        },
        stopSync() {
          if (child.exitCode === null) child.kill('SIGKILL');
          options.launcher?.remove?.();
        },
      });
    });
  });
}
