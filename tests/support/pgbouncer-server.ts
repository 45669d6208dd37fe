import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A throw-away PgBouncer (Debian's `pgbouncer` package) in front of a test PostgreSQL, on a
 * free port, trust auth, with `postgres` as admin user. PgBouncer refuses to run as root, so
 * as root it runs as the postgres user.
 */
export interface PgBouncerServer {
  port: number;
  /** the admin console: postgres://postgres@127.0.0.1:<port>/pgbouncer */
  adminUrl: string;
  /** a pooled database through PgBouncer */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** the PostgreSQL port the pools connect to */
  postgresPort: number;
  /** pooled databases: name -> { dbname, poolSize } */
  databases: Record<string, { dbname: string; poolSize?: number }>;
  defaultPoolSize?: number;
  maxClientConn?: number;
  poolMode?: 'session' | 'transaction';
}

const asRoot = process.getuid?.() === 0;

export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncerServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-pgb-'));
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(uid.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o755);
  const port = await freePort();
  const databases = Object.entries(options.databases).map(
    ([name, db]) => `${name} = host=127.0.0.1 port=${options.postgresPort} dbname=${db.dbname}${db.poolSize ? ` pool_size=${db.poolSize}` : ''}`,
  );
  const ini = [
    '[databases]',
    ...databases,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${dir}`,
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'admin_users = postgres',
    `pool_mode = ${options.poolMode ?? 'session'}`,
    `default_pool_size = ${options.defaultPoolSize ?? 5}`,
    `max_client_conn = ${options.maxClientConn ?? 100}`,
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    'ignore_startup_parameters = extra_float_digits,options',
    '',
  ].join('\n');
  const iniFile = path.join(dir, 'pgbouncer.ini');
  await writeFile(iniFile, ini);
  await writeFile(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
  const args = ['-d', iniFile];
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', 'pgbouncer', ...args]);
  else await run('pgbouncer', args);
  // -d returns once it has daemonised; wait until it accepts connections
  await waitForPort(port);
  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/pgbouncer`,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      const pid = Number((await readFile(path.join(dir, 'pgbouncer.pid'), 'utf8').catch(() => '')).trim());
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const { createConnection } = await import('node:net');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
