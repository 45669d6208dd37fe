/**
 * A thin adapter over ioredis: one connection, no offline queue, no reconnect, bounded
 * connect and command timeouts, so an unreachable server fails fast instead of queueing
 * forever. Every error that leaves this module has the password taken out.
 */
import { errorMessage } from '../shared/errors.js';

export interface RedisTarget {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number;
  tls: boolean;
}

export interface RedisConnectOptions {
  url: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export type RedisArg = string | number;

/** One reply of a pipeline: the value, or the error text (redacted). */
export type RedisReply = { ok: true; value: unknown } | { ok: false; error: string };

export interface RedisSession {
  readonly target: RedisTarget;
  /** one command; throws RedisCommandError (message redacted) */
  call(command: string, ...args: RedisArg[]): Promise<unknown>;
  /** several commands in one round trip; never throws for a command's own error */
  pipeline(commands: ReadonlyArray<readonly [string, ...RedisArg[]]>): Promise<RedisReply[]>;
  close(): Promise<void>;
}

export interface RedisPort {
  connect(options: RedisConnectOptions): Promise<RedisSession>;
}

export class RedisCommandError extends Error {
  override name = 'RedisCommandError';
}

/** redis://user:pass@host:6379/2 -> its parts; rediss:// turns TLS on. */
export function parseRedisUrl(text: string): RedisTarget {
  const url = new URL(text);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port === '' ? 6379 : Number(url.port),
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    db: db === '' ? 0 : Number(db),
    tls: url.protocol === 'rediss:',
  };
}

/** The URL as it may be shown: the password replaced by ***. */
export function redactRedisUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return text.replace(/\/\/[^\s/@]*@/g, '//***@');
  }
}

/** An error message with every trace of the password removed (raw and URL-encoded forms). */
export function redactSecret(message: string, secret: string | undefined): string {
  let text = message.replace(/\b(rediss?:\/\/)[^\s/@]+@/gi, '$1***@');
  if (secret !== undefined && secret !== '') {
    for (const form of new Set([secret, encodeURIComponent(secret)])) text = text.split(form).join('***');
  }
  return text;
}

async function connect(options: RedisConnectOptions): Promise<RedisSession> {
  const target = parseRedisUrl(options.url);
  const redact = (error: unknown) => redactSecret(errorMessage(error), target.password);
  // loaded on first use: runs without Redis do not pay for ioredis
  const { Redis } = await import('ioredis');
  const client = new Redis({
    host: target.host,
    port: target.port,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    db: target.db,
    ...(target.tls ? { tls: { servername: target.host } } : {}),
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    // never reconnect: a server that drops us mid-phase ends the phase with what was measured
    retryStrategy: () => null,
    disableClientInfo: true,
  });
  let lastError: string | undefined;
  // ioredis also emits errors as events; without a listener Node would print them
  client.on('error', (error: unknown) => {
    lastError = redact(error);
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    // "Connection is closed." hides the cause; the error event carried it (ECONNREFUSED, WRONGPASS...)
    const message = redact(error);
    throw new RedisCommandError(lastError !== undefined && /connection is closed/i.test(message) ? lastError : message || 'connection failed');
  }
  return {
    target: { ...target, password: target.password === undefined ? undefined : '***' },
    async call(command, ...args) {
      try {
        return await client.call(command, ...args);
      } catch (error) {
        throw new RedisCommandError(redact(error));
      }
    },
    async pipeline(commands) {
      if (commands.length === 0) return [];
      const pipeline = client.pipeline(commands.map(([name, ...args]) => ['call', name, ...args]));
      let results: Array<[Error | null, unknown]> | null;
      try {
        results = await pipeline.exec();
      } catch (error) {
        throw new RedisCommandError(redact(error));
      }
      return (results ?? []).map(([error, value]) => (error ? { ok: false, error: redact(error) } : { ok: true, value }));
    },
    async close() {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

export const realRedisPort: RedisPort = { connect };
