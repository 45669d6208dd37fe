/**
 * The load generator's transport: one HTTP/1.1 keep-alive connection with at most one request in
 * flight, over a plain `net.Socket` (or `tls.connect` for https), the request sent as bytes encoded
 * once per planned request, the response parsed by Node's own llhttp parser (`_http_common`'s
 * HTTPParser, the one node:http uses). Only the status and the end of the response matter: headers
 * are not kept and body bytes are never buffered.
 *
 * Why not undici here (ARCHITECTURE.md, bench/load/README.md): a request through undici's Client
 * cost about 14 µs of CPU against nginx, too much to beat autocannon by 20 % and reach 45 % of wrk
 * on one core; this path does only a socket write, one parser call and a callback per request.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

/** The part of Node's internal HTTPParser used here (lib/_http_common.js, node_http_parser.cc). */
interface NodeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number): void;
  execute(data: Buffer): number | Error;
  finish(): undefined | Error;
  close(): void;
  [callback: number]: unknown;
}
interface NodeHttpParserClass {
  new (): NodeHttpParser;
  RESPONSE: number;
  kOnHeadersComplete: number;
  kOnMessageComplete: number;
  kLenientNone: number;
}

const require = createRequire(import.meta.url);
let parserClass: NodeHttpParserClass | undefined;
const HTTPParser = () => (parserClass ??= (require('_http_common') as { HTTPParser: NodeHttpParserClass }).HTTPParser);

/** Where the connections go: parsed once per run from the target's origin. */
export interface Endpoint {
  secure: boolean;
  /** for connect: an IPv6 address without brackets */
  hostname: string;
  port: number;
  /** the Host header: host[:port] as in the origin */
  hostHeader: string;
  /** per request: connect, then any gap with no bytes from the server (headers or body) */
  timeoutMs: number;
  insecure: boolean;
}

export function endpointOf(origin: string, timeoutMs: number, insecure = false): Endpoint {
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`load target: unsupported scheme ${url.protocol}`);
  const secure = url.protocol === 'https:';
  return {
    secure,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    hostHeader: url.host,
    timeoutMs,
    insecure,
  };
}

export interface RequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

// the checks undici makes before sending (lib/core/request.js): a token method and header names, no control characters
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_PATH = /[^\u0021-\u00ff]/;
const BAD_VALUE = /[\r\n\0]/;
/** methods that carry a body: undici sends `content-length: 0` when they have none */
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The bytes of one request: request line, Host, keep-alive, the given headers, content-length and body. */
export function encodeRequest(endpoint: Endpoint, request: RequestSpec): Buffer {
  if (!TOKEN.test(request.method)) throw new Error(`load request: invalid method ${JSON.stringify(request.method)}`);
  if (!(request.path.startsWith('/') || request.path === '*') || BAD_PATH.test(request.path)) {
    throw new Error(`load request: invalid path ${JSON.stringify(request.path)}`);
  }
  const names = new Set<string>();
  let fields = '';
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TOKEN.test(name)) throw new Error(`load request: invalid header name ${JSON.stringify(name)}`);
    if (BAD_VALUE.test(value)) throw new Error(`load request: invalid value of header ${name}`);
    names.add(name.toLowerCase());
    fields += `${name}: ${value}\r\n`;
  }
  const body = request.body === undefined ? null : Buffer.from(request.body, 'utf8');
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  if (!names.has('host')) head += `host: ${endpoint.hostHeader}\r\n`;
  if (!names.has('connection')) head += 'connection: keep-alive\r\n';
  head += fields;
  if (!names.has('content-length') && !names.has('transfer-encoding')) {
    if (body) head += `content-length: ${body.length}\r\n`;
    else if (PAYLOAD_METHODS.has(request.method.toUpperCase())) head += 'content-length: 0\r\n';
  }
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return body ? Buffer.concat([headBytes, body]) : headBytes;
}

/** Receives the end of each exchange: the status (0 if none came) and the error, if it failed. */
export interface ExchangeHandler {
  onExchangeEnd(status: number, error: Error | null): void;
}

/** Error codes of the failures this transport detects itself (src/load/errors.ts classifies them). */
export const CONNECT_TIMEOUT = 'LOAD_CONNECT_TIMEOUT';
export const RESPONSE_TIMEOUT = 'LOAD_RESPONSE_TIMEOUT';
export const SOCKET_CLOSED = 'LOAD_SOCKET_CLOSED';

function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const now = () => performance.now();
const READ_BUFFER_BYTES = 64 * 1024;
const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

/**
 * One keep-alive connection. The socket is opened on the first request and again after the server
 * closes it (`Connection: close`, a close between requests, or any failure): as undici does, a
 * request on a connection the server closed fails (reset) and the next one reconnects.
 */
export class HttpConnection {
  private socket: net.Socket | null = null;
  private connecting = false;
  private parser: NodeHttpParser | null = null;
  private inFlight = false;
  private skipBody = false;
  private status = 0;
  private keepAlive = true;
  /** set by the parser's callback, handled once execute() returns (never re-enter the parser) */
  private completed = false;
  private lastActivity = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly handler: ExchangeHandler,
  ) {}

  get busy(): boolean {
    return this.inFlight;
  }

  /** Sends one request; `head` skips the response body (a response to HEAD has none). */
  send(bytes: Buffer, head: boolean): void {
    if (this.inFlight) throw new Error('HttpConnection: a request is already in flight');
    this.inFlight = true;
    this.skipBody = head;
    this.status = 0;
    this.completed = false;
    this.lastActivity = now();
    const socket = this.socket ?? this.open();
    if (!this.timer) this.timer = setTimeout(this.onTimer, this.endpoint.timeoutMs);
    socket.write(bytes);
  }

  /** Closes the socket; a request in flight is dropped without a callback. */
  close(): void {
    this.inFlight = false;
    this.dropSocket();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.parser?.close();
    this.parser = null;
  }

  private open(): net.Socket {
    const { endpoint } = this;
    const parser = this.parserFor();
    // reads land in one buffer shared by all connections (parsed at once, never kept): no allocation per read
    const onread = {
      buffer: readBuffer,
      callback: (bytes: number, buffer: Uint8Array): boolean => {
        if (socket !== this.socket) return true;
        this.lastActivity = now();
        this.afterParse(parser.execute((buffer as Buffer).subarray(0, bytes)));
        return true;
      },
    };
    const socket: net.Socket = endpoint.secure
      ? tls.connect({
          host: endpoint.hostname,
          port: endpoint.port,
          rejectUnauthorized: !endpoint.insecure,
          ALPNProtocols: ['http/1.1'],
          // SNI takes a name, never an address
          ...(net.isIP(endpoint.hostname) ? {} : { servername: endpoint.hostname }),
        })
      : net.connect({ host: endpoint.hostname, port: endpoint.port, onread });
    // @types/node does not declare tls.connect's onread: TLS reads come as 'data' events instead
    if (endpoint.secure) socket.on('data', (chunk: Buffer) => onread.callback(chunk.length, chunk));
    socket.setNoDelay(true);
    this.socket = socket;
    this.connecting = true;
    socket.once(endpoint.secure ? 'secureConnect' : 'connect', () => {
      if (socket !== this.socket) return;
      this.connecting = false;
      this.lastActivity = now();
    });
    socket.on('end', () => {
      if (socket !== this.socket) return;
      // a body delimited by the close ends here; otherwise the response was cut short (reset, as
      // undici's 'other side closed'); the next request reconnects either way
      const result = this.inFlight ? parser.finish() : undefined;
      this.dropSocket();
      if (this.completed) this.afterParse(result);
      else this.fail(failure(SOCKET_CLOSED, 'the server closed the connection'));
    });
    socket.on('error', (error) => {
      if (socket === this.socket) this.fail(error);
    });
    socket.on('close', () => {
      if (socket === this.socket) this.fail(failure(SOCKET_CLOSED, 'the connection closed'));
    });
    return socket;
  }

  private parserFor(): NodeHttpParser {
    const Parser = HTTPParser();
    if (!this.parser) {
      const parser = new Parser();
      parser[Parser.kOnHeadersComplete] = (
        _major: number,
        _minor: number,
        _headers: unknown,
        _method: unknown,
        _url: unknown,
        statusCode: number,
        _statusMessage: unknown,
        _upgrade: boolean,
        shouldKeepAlive: boolean,
      ) => {
        this.status = statusCode;
        this.keepAlive = shouldKeepAlive;
        // 1: the parser expects no body (the response to HEAD)
        return this.skipBody ? 1 : 0;
      };
      parser[Parser.kOnMessageComplete] = () => {
        // 1xx (not 101) are interim responses: the final one follows
        if (this.status >= 100 && this.status < 200 && this.status !== 101) return;
        this.completed = true;
      };
      this.parser = parser;
    }
    // a fresh state for each socket; no header size limit beyond llhttp's default (0)
    this.parser.initialize(Parser.RESPONSE, {}, 0, Parser.kLenientNone);
    return this.parser;
  }

  /** `result`: bytes parsed, or the parse error (checked by type: the parser's errors may come from another realm) */
  private afterParse(result: number | Error | undefined): void {
    if (this.completed) {
      this.completed = false;
      if (!this.inFlight) {
        // a response nobody asked for: the connection is out of step
        this.dropSocket();
        return;
      }
      this.inFlight = false;
      if (!this.keepAlive || this.status === 101 || typeof result === 'object') this.dropSocket();
      this.handler.onExchangeEnd(this.status, null);
      return;
    }
    if (typeof result === 'object') {
      this.fail(result);
    } else if (!this.inFlight && this.socket && typeof result === 'number' && result > 0) {
      this.dropSocket();
    }
  }

  private readonly onTimer = () => {
    this.timer = null;
    if (!this.inFlight) return;
    const idleMs = now() - this.lastActivity;
    if (idleMs >= this.endpoint.timeoutMs) {
      this.fail(
        this.connecting
          ? failure(CONNECT_TIMEOUT, `no connection within ${this.endpoint.timeoutMs} ms`)
          : failure(RESPONSE_TIMEOUT, `no response bytes for ${this.endpoint.timeoutMs} ms`),
      );
      return;
    }
    this.timer = setTimeout(this.onTimer, this.endpoint.timeoutMs - idleMs);
  };

  private fail(error: Error): void {
    this.dropSocket();
    if (!this.inFlight) return;
    this.inFlight = false;
    this.handler.onExchangeEnd(this.status, error);
  }

  private dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.connecting = false;
    socket.destroy();
  }
}
