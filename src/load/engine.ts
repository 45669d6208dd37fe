/**
 * The load generator: a closed model (N virtual users, each sending its next request when the
 * previous one ends) and an open model (a fixed rate; each request measured from its intended
 * start, so a stalled target cannot hide: coordinated omission corrected). It knows nothing of
 * reports or configuration files: it takes a target and limits and returns measured facts.
 *
 * Shape chosen by measurement (TOOLCHAIN.md): one undici `Client` per connection and
 * `dispatch()` with a plain handler object; here each connection object IS its handler (one
 * request in flight per connection), so a request allocates nothing but its options.
 */
import type { Client, Dispatcher } from 'undici';
import { lazyModule } from '../ports/lazy-module.js';

const loadUndici = lazyModule<typeof import('undici')>('undici');
import type { ErrorCounts, LatencySummary, LoadStop } from '../contracts/load.js';
import { classifyError } from './errors.js';
import { LatencyRecorder } from './histogram.js';
import { GeneratorMeter, type GeneratorSample } from './meter.js';

export interface LoadRequest {
  method: string;
  /** path with query, sent to the target's origin */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** statuses that count as success */
  expectedStatus: readonly number[];
}

export interface LoadTarget {
  /** scheme://host:port: the only origin ever requested */
  origin: string;
  /** the mix, sent round-robin */
  requests: readonly LoadRequest[];
  /** per request: connect, headers and gaps between body chunks */
  timeoutMs: number;
  /** accept self-signed certificates */
  insecure?: boolean;
}

export interface LoadProgress {
  elapsedMs: number;
  plannedMs: number;
  requests: number;
  errors: number;
}

interface CommonOptions {
  /** measured window */
  durationMs: number;
  /** most requests to send (warm-up included) */
  maxRequests: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

export interface ClosedOptions extends CommonOptions {
  concurrency: number;
  /** requests before the measured window are sent but not recorded */
  warmupMs?: number;
}

export interface OpenOptions extends CommonOptions {
  /** requests per second */
  rate: number;
  /** most connections opened (one request in flight on each); opened as needed */
  maxConnections: number;
}

export interface RunOutcome {
  connections: number;
  durationMs: number;
  requests: number;
  responses: number;
  /** responses and errors that ended inside the measured window */
  completedInWindow: number;
  successInWindow: number;
  errors: ErrorCounts;
  latency: LatencySummary;
  asSentLatency: LatencySummary | null;
  late: number | null;
  dropped: number | null;
  generator: GeneratorSample;
  stoppedBy: LoadStop;
}

/** A request sent more than this after its intended start counts as late (timers have ~1 ms granularity). */
export const LATE_THRESHOLD_MS = 10;
/** After a refused or reset connection a closed-model user waits this long before its next request (no busy loop). */
const RETRY_PAUSE_MS = 10;
const PROGRESS_EVERY_MS = 250;

const now = () => performance.now();

type Done = (connection: Connection, status: number, error: Error | null) => void;

/**
 * undici's dispatch options of a request, built once per request of the plan rather than once per
 * request sent (the request loop is the hot path).
 */
const dispatchOptions = new WeakMap<LoadRequest, Dispatcher.DispatchOptions>();
function dispatchOptionsOf(request: LoadRequest): Dispatcher.DispatchOptions {
  let options = dispatchOptions.get(request);
  if (!options) {
    options = { path: request.path, method: request.method as 'GET', headers: request.headers, body: request.body ?? null };
    dispatchOptions.set(request, options);
  }
  return options;
}

/** One keep-alive connection with at most one request in flight; it is its own dispatch handler. */
class Connection {
  readonly client: Client;
  status = 0;
  sentAt = 0;
  intendedAt = 0;
  measured = false;
  request: LoadRequest | undefined;
  private finished = true;

  constructor(
    target: LoadTarget,
    private readonly done: Done,
  ) {
    this.client = new (loadUndici().Client)(target.origin, {
      pipelining: 1,
      connectTimeout: target.timeoutMs,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      keepAliveTimeout: 60_000,
      ...(target.insecure ? { connect: { rejectUnauthorized: false } } : {}),
    });
  }

  send(request: LoadRequest, intendedAt: number, sentAt: number, measured: boolean): void {
    this.status = 0;
    this.intendedAt = intendedAt;
    this.sentAt = sentAt;
    this.measured = measured;
    this.request = request;
    this.finished = false;
    this.client.dispatch(dispatchOptionsOf(request), this);
  }

  // legacy handler methods: the shape undici's Client calls directly (no wrapper per request)
  onConnect(): void {}
  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.finish(null);
  }
  onError(error: Error): void {
    this.finish(error);
  }

  private finish(error: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.done(this, this.status, error);
  }

  get busy(): boolean {
    return !this.finished;
  }
}

/** Counters shared by both models. */
class Tally {
  requests = 0;
  responses = 0;
  completedInWindow = 0;
  successInWindow = 0;
  readonly errors: ErrorCounts = { total: 0, byStatus: {}, timeout: 0, refused: 0, reset: 0, other: 0 };
  readonly latency = new LatencyRecorder();

  /** true when the outcome was a connection-level failure */
  count(request: LoadRequest, status: number, error: Error | null, inWindow: boolean): 'ok' | 'status' | 'connection' | 'timeout' {
    if (inWindow) this.completedInWindow += 1;
    if (error) {
      this.errors.total += 1;
      const failure = classifyError(error);
      this.errors[failure] += 1;
      return failure === 'refused' || failure === 'reset' ? 'connection' : failure === 'timeout' ? 'timeout' : 'connection';
    }
    this.responses += 1;
    if (request.expectedStatus.includes(status)) {
      if (inWindow) this.successInWindow += 1;
      return 'ok';
    }
    this.errors.total += 1;
    const key = String(status);
    this.errors.byStatus[key] = (this.errors.byStatus[key] ?? 0) + 1;
    return 'status';
  }
}

function startProgress(options: CommonOptions, plannedMs: number, startedAt: number, tally: Tally): () => void {
  if (!options.onProgress) return () => {};
  const report = options.onProgress;
  const timer = setInterval(() => {
    report({ elapsedMs: Math.min(plannedMs, now() - startedAt), plannedMs, requests: tally.requests, errors: tally.errors.total });
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

async function closeAll(connections: readonly Connection[], force: boolean): Promise<void> {
  await Promise.all(
    connections.map((connection) => (force ? connection.client.destroy() : connection.client.close()).catch(() => undefined)),
  );
}

/**
 * Closed model: `concurrency` users, each on its own connection, each sending its next request as
 * soon as the previous one ends (closed-model results understate latency under overload: a slow
 * target slows the users down too; say so when reporting). Requests in flight when the window ends
 * are awaited (bounded by the timeout) and recorded; on abort they are dropped and the partial
 * results returned.
 */
export function runClosed(target: LoadTarget, options: ClosedOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    if (target.requests.length === 0) throw new Error('runClosed: no request to send');
    const tally = new Tally();
    const meter = new GeneratorMeter();
    const startedAt = now();
    const warmupMs = options.warmupMs ?? 0;
    const measureFrom = startedAt + warmupMs;
    const stopAt = measureFrom + options.durationMs;
    let sent = 0;
    let next = 0;
    let stoppedBy: LoadStop = 'duration';
    let ended = false;
    let endedAt = 0;
    const stopProgress = startProgress(options, warmupMs + options.durationMs, startedAt, tally);

    const connections: Connection[] = [];
    const stopping = () => ended || now() >= stopAt || sent >= options.maxRequests;

    const sendNext = (connection: Connection) => {
      if (stopping()) {
        if (!ended && sent >= options.maxRequests && now() < stopAt) stoppedBy = 'max-requests';
        maybeFinish();
        return;
      }
      const request = target.requests[next]!;
      next = (next + 1) % target.requests.length;
      sent += 1;
      const at = now();
      connection.send(request, at, at, at >= measureFrom);
    };

    const onDone: Done = (connection, status, error) => {
      if (ended) return;
      const end = now();
      const request = connection.request!;
      let outcome: ReturnType<Tally['count']> = 'ok';
      if (connection.measured) {
        tally.requests += 1;
        tally.latency.recordMicros((end - connection.sentAt) * 1000);
        outcome = tally.count(request, status, error, end <= stopAt);
      }
      if (error && (outcome === 'connection' || !connection.measured)) {
        // a refused or reset connection fails at once: pause so the user does not spin
        setTimeout(() => sendNext(connection), RETRY_PAUSE_MS);
      } else if (error) {
        // errors can arrive synchronously from dispatch(): never recurse
        setImmediate(() => sendNext(connection));
      } else {
        sendNext(connection);
      }
    };

    const finish = (force: boolean) => {
      if (ended) return;
      ended = true;
      endedAt = now();
      clearTimeout(windowTimer);
      stopProgress();
      options.signal?.removeEventListener('abort', onAbort);
      const generator = meter.stop();
      const windowEnd = Math.min(endedAt, stopAt);
      void closeAll(connections, force).then(() =>
        resolve({
          connections: connections.length,
          durationMs: Math.max(0, windowEnd - measureFrom),
          requests: tally.requests,
          responses: tally.responses,
          completedInWindow: tally.completedInWindow,
          successInWindow: tally.successInWindow,
          errors: tally.errors,
          latency: tally.latency.summary(),
          asSentLatency: null,
          late: null,
          dropped: null,
          generator,
          stoppedBy,
        }),
      );
    };
    const maybeFinish = () => {
      if (!ended && connections.every((connection) => !connection.busy)) finish(false);
    };
    const onAbort = () => {
      stoppedBy = 'interrupted';
      finish(true);
    };
    // when the window ends, users stop at their next turn; this timer only covers a window with no traffic
    const windowTimer = setTimeout(() => maybeFinish(), Math.max(0, stopAt - now()) + 1);

    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < options.concurrency; i++) connections.push(new Connection(target, onDone));
    for (const connection of connections) sendNext(connection);
  });
}

/**
 * Open model: requests due at a fixed rate, request i intended at start + i / rate. A request is
 * sent on a free connection (opened as needed up to maxConnections); when none is free it waits in
 * the generator and is sent late. Latency is measured from the intended start (corrected) and from
 * the actual send (as sent); requests still waiting when the window ends are counted as dropped.
 * The queue is only two counters (intended times are computed), so memory stays constant.
 */
export function runOpen(target: LoadTarget, options: OpenOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    if (target.requests.length === 0) throw new Error('runOpen: no request to send');
    if (!(options.rate > 0)) throw new Error('runOpen: rate must be positive');
    const tally = new Tally();
    const asSent = new LatencyRecorder();
    const meter = new GeneratorMeter();
    const intervalMs = 1000 / options.rate;
    const startedAt = now();
    const stopAt = startedAt + options.durationMs;
    const planned = Math.min(options.maxRequests, Math.floor((options.durationMs * options.rate) / 1000));
    let sentIndex = 0;
    let next = 0;
    let late = 0;
    let ended = false;
    let sendingClosed = false;
    let stoppedBy: LoadStop = planned < Math.floor((options.durationMs * options.rate) / 1000) ? 'max-requests' : 'duration';
    let pumpTimer: NodeJS.Timeout | undefined;
    const stopProgress = startProgress(options, options.durationMs, startedAt, tally);

    const connections: Connection[] = [];
    const idle: Connection[] = [];

    const pump = () => {
      pumpTimer = undefined;
      if (ended || sendingClosed) return;
      const at = now();
      const due = Math.min(planned, Math.floor((at - startedAt) / intervalMs) + 1);
      while (sentIndex < due) {
        let connection = idle.pop();
        if (!connection) {
          if (connections.length >= options.maxConnections) break;
          connection = new Connection(target, onDone);
          connections.push(connection);
        }
        const intendedAt = startedAt + sentIndex * intervalMs;
        sentIndex += 1;
        if (at - intendedAt > LATE_THRESHOLD_MS) late += 1;
        const request = target.requests[next]!;
        next = (next + 1) % target.requests.length;
        connection.send(request, intendedAt, at, true);
      }
      if (sentIndex >= planned) {
        closeSending();
        return;
      }
      // blocked on connections: a finishing request pumps again; otherwise wake at the next intended start
      if (sentIndex === due && pumpTimer === undefined) {
        pumpTimer = setTimeout(pump, Math.max(0, startedAt + sentIndex * intervalMs - now()));
      }
    };

    const onDone: Done = (connection, status, error) => {
      if (ended) return;
      const end = now();
      const request = connection.request!;
      tally.requests += 1;
      tally.latency.recordMicros((end - connection.intendedAt) * 1000);
      asSent.recordMicros((end - connection.sentAt) * 1000);
      tally.count(request, status, error, end <= stopAt);
      idle.push(connection);
      if (sendingClosed) {
        maybeFinish();
      } else if (error) {
        setImmediate(pump);
      } else {
        pump();
      }
    };

    const closeSending = () => {
      if (sendingClosed) return;
      sendingClosed = true;
      if (pumpTimer) clearTimeout(pumpTimer);
      maybeFinish();
    };

    const finish = (force: boolean) => {
      if (ended) return;
      ended = true;
      const endedAt = now();
      clearTimeout(windowTimer);
      if (pumpTimer) clearTimeout(pumpTimer);
      stopProgress();
      options.signal?.removeEventListener('abort', onAbort);
      const generator = meter.stop();
      const windowEnd = Math.min(endedAt, stopAt);
      // due within the window (or the cap) but never sent
      const dueByEnd = Math.min(planned, Math.floor((windowEnd - startedAt) / intervalMs) + 1);
      void closeAll(connections, force).then(() =>
        resolve({
          connections: connections.length,
          durationMs: Math.max(0, windowEnd - startedAt),
          requests: tally.requests,
          responses: tally.responses,
          completedInWindow: tally.completedInWindow,
          successInWindow: tally.successInWindow,
          errors: tally.errors,
          latency: tally.latency.summary(),
          asSentLatency: asSent.summary(),
          late,
          dropped: Math.max(0, dueByEnd - sentIndex),
          generator,
          stoppedBy,
        }),
      );
    };
    const maybeFinish = () => {
      if (!ended && sendingClosed && connections.every((connection) => !connection.busy)) finish(false);
    };
    const onAbort = () => {
      stoppedBy = 'interrupted';
      finish(true);
    };
    const windowTimer = setTimeout(closeSending, options.durationMs);

    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}
