import type pg from 'pg';
import { lazyModule } from './lazy-module.js';

const loadPg = lazyModule<typeof pg>('pg');

/**
 * The PostgreSQL (and PgBouncer admin console) adapter. Every session it opens is safe for
 * the server being measured (DESIGN.md section 6): read-only by default
 * (`default_transaction_read_only = on`), with `statement_timeout`, `lock_timeout` and
 * `application_name = 'perf-analyze'`, and a client-side timeout on every query. No error
 * leaving this module carries the password of the URL.
 */

export const APPLICATION_NAME = 'perf-analyze';

export interface SessionOptions {
  /** server-side statement_timeout and client-side query timeout, ms */
  statementTimeoutMs: number;
  /** lock_timeout, ms */
  lockTimeoutMs: number;
  /** connect timeout, ms */
  connectTimeoutMs: number;
  /**
   * PgBouncer's admin console takes no startup `options` and answers only the simple
   * query protocol: open it as a plain session (still with application_name and timeouts).
   */
  adminConsole?: boolean;
}

export interface PgSession {
  /** extended protocol (parameters allowed); rows as plain objects */
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** simple query protocol (no parameters): what PgBouncer's admin console understands */
  simpleQuery<T extends object = Record<string, unknown>>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

export interface PostgresPort {
  connect(url: string, options: SessionOptions): Promise<PgSession>;
}

/** An error from PostgreSQL or the network, password removed; `code` is the SQLSTATE or errno code. */
export class PostgresError extends Error {
  override name = 'PostgresError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** `postgres://user:secret@host/db` -> `postgres://user@host/db`, anywhere in a string (also `user:***@`). */
export function redactPostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@]*)(:[^\s/@]*)?@/gi, '$1$2@');
  }
}

function redactText(text: string, password: string | undefined): string {
  let clean = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@]*)(:[^\s/@]*)?@/gi, '$1$2@');
  if (password !== undefined && password.length > 0) clean = clean.split(password).join('***');
  return clean;
}

function wrapError(error: unknown, password: string | undefined, what: string): PostgresError {
  const raw = error as { message?: string; code?: string } | undefined;
  const message = redactText(raw?.message ?? String(error), password);
  return new PostgresError(`${what}: ${message}`, raw?.code);
}

/** The parts of a postgres:// URL the client needs, parsed here so that nothing in the URL can override the safety settings. */
export function parsePostgresUrl(url: string): { host: string; port: number; user: string | undefined; password: string | undefined; database: string | undefined; sslmode: string | undefined } {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname.replace(/^\[(.*)\]$/, '$1'));
  return {
    host: host === '' ? '127.0.0.1' : host,
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    user: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : undefined,
    sslmode: parsed.searchParams.get('sslmode') ?? undefined,
  };
}

function sslOf(sslmode: string | undefined): pg.ClientConfig['ssl'] {
  switch (sslmode) {
    case 'require':
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      return false;
  }
}

export const realPostgresPort: PostgresPort = {
  async connect(url, options) {
    const parts = parsePostgresUrl(url);
    const safety = options.adminConsole
      ? undefined
      : `-c default_transaction_read_only=on -c statement_timeout=${Math.round(options.statementTimeoutMs)} ` +
        `-c lock_timeout=${Math.round(options.lockTimeoutMs)} -c idle_in_transaction_session_timeout=${Math.round(options.statementTimeoutMs * 4)} ` +
        // catalog queries over 10,000 tables look costly to the planner: JIT compiling them took 3 s for a 0.3 s query
        '-c jit=off';
    const client = new (loadPg().Client)({
      host: parts.host,
      port: parts.port,
      ...(parts.user !== undefined ? { user: parts.user } : {}),
      ...(parts.password !== undefined ? { password: parts.password } : {}),
      ...(parts.database !== undefined ? { database: parts.database } : {}),
      ssl: sslOf(parts.sslmode),
      application_name: APPLICATION_NAME,
      ...(safety !== undefined ? { options: safety } : {}),
      connectionTimeoutMillis: options.connectTimeoutMs,
      // client side: a query the server does not answer (network gone) cannot hang the run
      query_timeout: options.statementTimeoutMs + 2000,
    });
    // a connection lost mid-phase emits 'error' (e.g. 57P01 when the server shuts down or
    // restarts); kept so that the next query says why instead of pg's "not queryable"
    let lost: unknown;
    client.on('error', (error) => {
      lost ??= error;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw wrapError(error, parts.password, `cannot connect to ${redactPostgresUrl(url)}`);
    }
    const run = async <T extends object>(config: pg.QueryConfig | string, params?: readonly unknown[]): Promise<T[]> => {
      try {
        const result = typeof config === 'string' ? await client.query(config, params as unknown[] | undefined) : await client.query(config);
        return result.rows as T[];
      } catch (error) {
        const text = typeof config === 'string' ? config : config.text;
        const what = `query failed (${text.replace(/\s+/g, ' ').trim().slice(0, 60)})`;
        if (lost !== undefined) throw wrapError(lost, parts.password, `${what}: connection lost`);
        throw wrapError(error, parts.password, what);
      }
    };
    return {
      // with parameters pg uses the extended protocol; without, the simple one
      query: <T extends object>(text: string, params?: readonly unknown[]) => run<T>(text, params ?? []),
      simpleQuery: <T extends object>(text: string) => run<T>({ text }),
      close: async () => {
        await client.end().catch(() => undefined);
      },
    };
  },
};
