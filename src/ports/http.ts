/**
 * One HTTP request with its timing phases, over undici 7 (DESIGN.md section 5: monotonic clock,
 * microsecond resolution). The client is bound to one origin (the configured base URL's): a
 * path that would leave it is refused, and redirects are never followed here (the collector
 * decides, so a redirect loop becomes a finding instead of a hang).
 *
 * Phases: DNS lookup, TCP connect, TLS handshake (zero when a kept-alive connection is reused),
 * time to first byte (request written to response headers parsed), download (headers to the
 * last body byte) and total. The connection phases come from our own connector, which does the
 * lookup, the connect and the handshake itself and times each step.
 */
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { lazyModule } from './lazy-module.js';
import { errorMessage } from '../shared/errors.js';

const loadUndici = lazyModule<typeof import('undici')>('undici');

export type HttpErrorClass = 'refused' | 'dns' | 'timeout' | 'reset' | 'tls' | 'protocol' | 'other';

export interface HttpTiming {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  /** request sent (or connection ready) to response headers */
  ttfbMs: number;
  /** headers to the last body byte read */
  downloadMs: number;
  totalMs: number;
  /** true when the request went over a kept-alive connection (no DNS, connect or TLS) */
  reusedConnection: boolean;
}

export interface HttpRequest {
  method: string;
  /** path (and query) under the origin, starting with "/" */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  ok: true;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** the body as read, at most maxBodyBytes */
  body: Buffer;
  /** bytes read; when truncated, the read stopped at the cap */
  bodyBytes: number;
  /** the body was larger than maxBodyBytes: reading stopped there and the connection was closed */
  truncated: boolean;
  timing: HttpTiming;
}

export interface HttpFailure {
  ok: false;
  errorClass: HttpErrorClass;
  /** the error code (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT...) */
  code: string;
  message: string;
  timing: HttpTiming;
}

export type HttpResult = HttpResponse | HttpFailure;

export interface HttpClient {
  readonly origin: string;
  request(request: HttpRequest): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** accept certificates that do not verify (self-signed) */
  insecure: boolean;
  /** connections to keep (1 for sequential timing; more for concurrent logins) */
  connections?: number;
  connectTimeoutMs: number;
}

export interface HttpPort {
  /** a client bound to the origin of `baseUrl` */
  client(baseUrl: string, options: HttpClientOptions): HttpClient;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

interface ConnectRecord {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  readyAt: number;
}

class ConnectError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * A connector that times each step. Established connections are queued in `records`; the next
 * request (sequential use) takes the record of the connection it caused.
 */
function timedConnector(options: HttpClientOptions, records: ConnectRecord[]): (opts: { hostname: string; protocol: string; port: string; servername?: string }, callback: (...args: [null, net.Socket] | [Error, null]) => void) => void {
  return (opts, callback) => {
    const started = nowMs();
    const hostname = opts.hostname.replace(/^\[|\]$/g, '');
    const https = opts.protocol === 'https:';
    const port = Number(opts.port) || (https ? 443 : 80);
    let finished = false;
    const finish = (error: Error | null, socket?: net.Socket) => {
      if (finished) return;
      finished = true;
      if (error) callback(error, null);
      else callback(null, socket!);
    };
    const afterLookup = (address: string, dnsMs: number) => {
      const connectStarted = nowMs();
      const socket = net.connect({ host: address, port, noDelay: true });
      socket.setTimeout(options.connectTimeoutMs, () => {
        socket.destroy();
        finish(new ConnectError(`connect to ${hostname}:${port} timed out after ${options.connectTimeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT'));
      });
      socket.once('error', (error) => finish(error));
      socket.once('connect', () => {
        const connectMs = nowMs() - connectStarted;
        if (!https) {
          socket.setTimeout(0);
          records.push({ dnsMs, connectMs, tlsMs: 0, readyAt: nowMs() });
          finish(null, socket);
          return;
        }
        const tlsStarted = nowMs();
        const secure = tls.connect({
          socket,
          ...(net.isIP(hostname) ? {} : { servername: opts.servername ?? hostname }),
          rejectUnauthorized: !options.insecure,
          ALPNProtocols: ['http/1.1'],
        });
        secure.once('error', (error) => finish(error));
        secure.once('secureConnect', () => {
          socket.setTimeout(0);
          records.push({ dnsMs, connectMs, tlsMs: nowMs() - tlsStarted, readyAt: nowMs() });
          finish(null, secure);
        });
      });
    };
    if (net.isIP(hostname)) {
      afterLookup(hostname, 0);
      return;
    }
    dns.lookup(hostname, (error, address) => {
      if (error) return finish(error);
      afterLookup(address, nowMs() - started);
    });
  };
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH|ALTNAME/;

/** The class of a failed request, from its error code. */
export function classifyError(error: unknown): { errorClass: HttpErrorClass; code: string } {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // undici wraps socket errors; the cause carries the system code
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = String((current as { code?: unknown }).code ?? '');
    const name = String((current as { name?: unknown }).name ?? '');
    if (code === 'ECONNREFUSED') return { errorClass: 'refused', code };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') return { errorClass: 'dns', code };
    if (/TIMEOUT|ETIMEDOUT/.test(code) || name === 'TimeoutError' || name === 'AbortError') return { errorClass: 'timeout', code: code || name };
    if (TLS_CODES.test(code)) return { errorClass: 'tls', code };
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
      const cause = (current as { cause?: unknown }).cause;
      if (cause) {
        const inner = classifyError(cause);
        if (inner.errorClass !== 'other') return inner;
      }
      return { errorClass: 'reset', code };
    }
    if (code.startsWith('HPE_') || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return { errorClass: 'protocol', code };
    current = (current as { cause?: unknown }).cause;
  }
  const code = String((error as { code?: unknown } | undefined)?.code ?? 'ERROR');
  return { errorClass: 'other', code };
}

function describeFailure(errorClass: HttpErrorClass, code: string, error: unknown, origin: string, timeoutMs: number): string {
  switch (errorClass) {
    case 'refused':
      return `connection refused by ${origin} (${code}): nothing listens there`;
    case 'dns':
      return `host name of ${origin} does not resolve (${code})`;
    case 'timeout':
      return `no complete response from ${origin} within ${timeoutMs} ms (${code})`;
    case 'tls':
      return `TLS handshake with ${origin} refused: ${code}`;
    case 'reset':
      return `connection to ${origin} reset (${code})`;
    default: {
      const message = errorMessage(error);
      return `request to ${origin} failed: ${code}: ${message.split('\n')[0]}`;
    }
  }
}

function zeroTiming(totalMs: number): HttpTiming {
  return { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: 0, downloadMs: 0, totalMs, reusedConnection: false };
}

/** The origin of a base URL: scheme, host and port only. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

export function createHttpClient(baseUrl: string, options: HttpClientOptions): HttpClient {
  const origin = originOf(baseUrl);
  const records: ConnectRecord[] = [];
  const connect = timedConnector(options, records);
  const connections = options.connections ?? 1;
  const common = { connect, keepAliveTimeout: 30_000, pipelining: 1 } as const;
  const { Client, Pool } = loadUndici();
  const dispatcher: Dispatcher = connections <= 1 ? new Client(origin, common) : new Pool(origin, { ...common, connections });

  return {
    origin,
    async request(request) {
      if (!request.path.startsWith('/') || request.path.startsWith('//')) {
        throw new Error(`refusing to request "${request.path}": only paths under ${origin} are requested`);
      }
      const target = new URL(request.path, origin);
      if (target.origin !== origin) throw new Error(`refusing to request another origin than ${origin}`);

      const timeout = AbortSignal.timeout(request.timeoutMs);
      const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
      const recordsBefore = records.length;
      const started = nowMs();
      try {
        const response = await dispatcher.request({
          origin,
          path: target.pathname + target.search,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers ?? {},
          ...(request.body !== undefined ? { body: request.body } : {}),
          signal,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
        const headersAt = nowMs();
        const chunks: Buffer[] = [];
        let bodyBytes = 0;
        let truncated = false;
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          const room = request.maxBodyBytes - bodyBytes;
          if (buffer.length > room) {
            chunks.push(buffer.subarray(0, room));
            bodyBytes += room;
            truncated = true;
            // stop reading: the rest is not downloaded, and the connection is closed
            response.body.destroy();
            break;
          }
          chunks.push(buffer);
          bodyBytes += buffer.length;
        }
        const ended = nowMs();
        const connection = records.length > recordsBefore ? records[records.length - 1] : undefined;
        const sentAt = connection ? Math.max(connection.readyAt, started) : started;
        return {
          ok: true,
          status: response.statusCode,
          headers: response.headers,
          body: Buffer.concat(chunks),
          bodyBytes,
          truncated,
          timing: {
            dnsMs: connection?.dnsMs ?? 0,
            connectMs: connection?.connectMs ?? 0,
            tlsMs: connection?.tlsMs ?? 0,
            ttfbMs: headersAt - sentAt,
            downloadMs: ended - headersAt,
            totalMs: ended - started,
            reusedConnection: connection === undefined,
          },
        };
      } catch (error) {
        const ended = nowMs();
        let { errorClass, code } = classifyError(error);
        if (timeout.aborted && !request.signal?.aborted) {
          errorClass = 'timeout';
          code = code === 'ERROR' || code === 'AbortError' ? 'TIMEOUT' : code;
        }
        const timing = zeroTiming(ended - started);
        const connection = records.length > recordsBefore ? records[records.length - 1] : undefined;
        if (connection) Object.assign(timing, { dnsMs: connection.dnsMs, connectMs: connection.connectMs, tlsMs: connection.tlsMs });
        return { ok: false, errorClass, code, message: describeFailure(errorClass, code, error, origin, request.timeoutMs), timing };
      } finally {
        // keep the queue short: only the newest record can belong to a later request
        if (records.length > 8) records.splice(0, records.length - 8);
      }
    },
    async close() {
      await dispatcher.destroy().catch(() => undefined);
    },
  };
}

export const realHttpPort: HttpPort = { client: createHttpClient };
