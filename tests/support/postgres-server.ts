import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPostgres as startThrowAwayPostgres, type PostgresOptions, type PostgresService } from '../../src/demo/services.js';

const run = promisify(execFile);

/**
 * A throw-away PostgreSQL cluster for one test file: the demo stack's recipe (initdb in a temp
 * dir, a free port, as the postgres user when root) with the settings the test needs, plus psql
 * and pg_stat_statements created in the postgres database.
 */
export interface PostgresServer extends PostgresService {
  /** runs SQL through psql as the superuser; returns stdout (tuples only, unaligned) */
  psql(sql: string, database?: string): Promise<string>;
}

export type { PostgresOptions };

/** The HypoPG extension is installed for some PostgreSQL here (Debian postgresql-NN-hypopg; .ci/run installs it). */
export const HYPOPG_INSTALLED = (() => {
  try {
    return readdirSync('/usr/share/postgresql').some((major) => existsSync(path.join('/usr/share/postgresql', major, 'extension', 'hypopg.control')));
  } catch {
    return false;
  }
})();

export interface TestPostgresOptions extends PostgresOptions {
  /**
   * CREATE EXTENSION hypopg in these databases (created first when missing; 'postgres' is always
   * there). Only on these throw-away servers: the profiler itself never creates an extension.
   * Needs the Debian package postgresql-<major>-hypopg (.ci/run installs it).
   */
  hypopg?: string[];
}

export async function startPostgres(options: TestPostgresOptions = {}): Promise<PostgresServer> {
  const server = await startThrowAwayPostgres(options);
  const psql = async (sql: string, database = 'postgres') => {
    const file = path.join(server.dataDir, `q-${process.hrtime.bigint()}.sql`);
    await writeFile(file, sql);
    if (process.getuid?.() === 0) await chmod(file, 0o644);
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-d', database, '-f', file];
    const { stdout } = await run(path.join(server.binDir, 'psql'), args, { maxBuffer: 16 * 1024 * 1024 });
    await rm(file, { force: true });
    return stdout;
  };
  try {
    if (options.statStatements ?? true) await psql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements;');
    for (const database of options.hypopg ?? []) {
      if (database !== 'postgres' && (await psql(`SELECT 1 FROM pg_database WHERE datname = '${database}';`)).trim() === '') await psql(`CREATE DATABASE ${database};`);
      await psql('CREATE EXTENSION IF NOT EXISTS hypopg;', database);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...server, psql };
}
