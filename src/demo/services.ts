/**
 * Throw-away PostgreSQL and Redis servers from the installed binaries, on free loopback ports,
 * for `perf-analyze demo` and the tests (TOOLCHAIN.md "Real servers in tests"). initdb and
 * postgres refuse to run as root, so as root they run as the postgres OS user.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A missing server binary: the message names the Debian package. */
export class MissingBinaryError extends Error {
  override name = 'MissingBinaryError';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface Service {
  url: string;
  /** stops it and removes its files */
  stop(): Promise<void>;
  /** the same, synchronously, for a process that is about to exit */
  stopSync(): void;
}

export interface PostgresService extends Service {
  port: number;
  dataDir: string;
  /** the directory of initdb, pg_ctl and psql */
  binDir: string;
  /** postgres://<user, default postgres>@127.0.0.1:<port>/<database> (trust auth) */
  urlFor(database: string, user?: string): string;
}

export interface PostgresOptions {
  /** extra postgresql.conf lines, e.g. { max_connections: 20 } (the tests set their own) */
  settings?: Record<string, string | number>;
  /** preload pg_stat_statements (default true) */
  statStatements?: boolean;
}

async function postgresBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const majors = await readdir(root)
    .then((names) => names.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)))
    .catch(() => [] as string[]);
  if (majors.length === 0) {
    throw new MissingBinaryError(`PostgreSQL is not installed (nothing under ${root}): install the Debian package "postgresql" (apt-get install postgresql)`);
  }
  return path.join(root, majors[0]!, 'bin');
}

const asRoot = () => process.getuid?.() === 0;

function postgresCommand(command: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresService> {
  const bin = await postgresBinDir();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-demo-pg-'));
  try {
    if (asRoot()) {
      const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
      const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
      await chown(dataDir, uid, gid);
    }
    await chmod(dataDir, 0o700);
    const [initdb, initArgs] = postgresCommand(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await run(initdb, initArgs);
    const port = await freePort();
    const lines = [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dataDir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      ...(options.statStatements ?? true ? [`shared_preload_libraries = 'pg_stat_statements'`, 'pg_stat_statements.track = all'] : []),
      ...Object.entries(options.settings ?? {}).map(([key, value]) => `${key} = ${typeof value === 'number' ? value : `'${value}'`}`),
    ];
    await appendFile(path.join(dataDir, 'postgresql.conf'), `\n${lines.join('\n')}\n`);
    const [pgCtl, startArgs] = postgresCommand(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-w', '-l', path.join(dataDir, 'server.log'), 'start']);
    await run(pgCtl, startArgs);
    const urlFor = (database: string, user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
    const stopArgs = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
    return {
      port,
      dataDir,
      binDir: bin,
      url: urlFor('postgres'),
      urlFor,
      async stop() {
        const [command, args] = postgresCommand(path.join(bin, 'pg_ctl'), stopArgs);
        await run(command, args).catch(() => undefined);
        await rm(dataDir, { recursive: true, force: true });
      },
      stopSync() {
        const [command, args] = postgresCommand(path.join(bin, 'pg_ctl'), stopArgs);
        try {
          execFileSync(command, args, { stdio: 'ignore' });
        } catch {
          /* already stopped */
        }
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface RedisService extends Service {
  port: number;
  process: ChildProcess;
}

/** `settings`: extra redis-server options, e.g. { maxmemory: '10mb', requirepass: 'x' } (the tests set their own). */
export async function startRedis(settings: Record<string, string | number> = {}): Promise<RedisService> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-demo-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  for (const [key, value] of Object.entries(settings)) args.push(`--${key}`, String(value));
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const spawnError = new Promise<never>((_resolve, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new MissingBinaryError('redis-server is not installed: install the Debian package "redis-server" (apt-get install redis-server)')
          : error,
      );
    }),
  );
  try {
    await Promise.race([waitForPort(port, 5000), spawnError]);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    if (error instanceof MissingBinaryError) throw error;
    throw new Error(`redis-server did not start on port ${port}: ${(error as Error).message}\n${output}`, { cause: error });
  }
  const password = settings.requirepass;
  return {
    port,
    url: password ? `redis://:${password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
    stopSync() {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
