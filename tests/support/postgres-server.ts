import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A throw-away PostgreSQL cluster for one test file: initdb in a temp dir, on a free
 * port, with the settings the test needs (TOOLCHAIN.md "Real servers in tests").
 * initdb and postgres refuse to run as root, so as root they run as the postgres user.
 */
export interface PostgresServer {
  port: number;
  dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth) */
  url: string;
  urlFor(database: string, user?: string): string;
  /** runs SQL through psql as the superuser; returns stdout (tuples only, unaligned) */
  psql(sql: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** extra postgresql.conf lines, e.g. { max_connections: 20 } */
  settings?: Record<string, string | number>;
  /** load and create pg_stat_statements (default true) */
  statStatements?: boolean;
}

async function binDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const majors = (await readdir(root)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL under ${root}: apt-get install postgresql`);
  return path.join(root, majors[0]!, 'bin');
}

const asRoot = process.getuid?.() === 0;

async function asPostgres(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  if (asRoot) return run('runuser', ['-u', 'postgres', '--', command, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return run(command, args, { maxBuffer: 16 * 1024 * 1024 });
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = await binDir();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dataDir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dataDir, 0o700);
  await asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const statStatements = options.statStatements ?? true;
  const lines = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dataDir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    ...(statStatements ? [`shared_preload_libraries = 'pg_stat_statements'`, 'pg_stat_statements.track = all'] : []),
    ...Object.entries(options.settings ?? {}).map(([key, value]) => `${key} = ${typeof value === 'number' ? value : `'${value}'`}`),
  ];
  await appendFile(path.join(dataDir, 'postgresql.conf'), `\n${lines.join('\n')}\n`);
  await asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-w', '-l', path.join(dataDir, 'server.log'), 'start']);

  const urlFor = (database: string, user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
  const psql = async (sql: string, database = 'postgres') => {
    const file = path.join(dataDir, `q-${process.hrtime.bigint()}.sql`);
    await writeFile(file, sql);
    if (asRoot) await chmod(file, 0o644);
    const { stdout } = await run(path.join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-f', file], { maxBuffer: 16 * 1024 * 1024 });
    await rm(file, { force: true });
    return stdout;
  };
  if (statStatements) await psql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements;');

  return {
    port,
    dataDir,
    url: urlFor('postgres'),
    urlFor,
    psql,
    async stop() {
      await asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
