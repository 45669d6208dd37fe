/**
 * The load generator: a closed model (N virtual users, each sending its next request when the
 * previous one ends) and an open model (a fixed rate; each request measured from its intended
 * start, so a stalled target cannot hide: coordinated omission corrected). It knows nothing of
 * reports or configuration files: it takes a target and limits and returns measured facts.
 *
 * Transport chosen by measurement (ARCHITECTURE.md, bench/load/README.md): one lean HTTP/1.1
 * keep-alive connection per user (src/load/connection.ts), each request's bytes encoded once per
 * planned request; each connection object is the handler of its own exchanges (one request in
 * flight per connection), so a request allocates next to nothing.
 */
import type { ErrorCounts, LatencySummary, LoadStop } from '../contracts/load.js';
import { encodeRequest, endpointOf, HttpConnection, type Endpoint } from './connection.js';
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

/** A request of the plan with its bytes, encoded once per run (the request loop is the hot path). */
interface PlannedRequest {
  request: LoadRequest;
  bytes: Buffer;
  head: boolean;
}

/** Encodes the mix; an invalid method, path or header fails the run before any request is sent. */
function plan(target: LoadTarget): { endpoint: Endpoint; planned: PlannedRequest[] } {
  const endpoint = endpointOf(target.origin, target.timeoutMs, target.insecure ?? false);
  const planned = target.requests.map((request) => ({
    request,
    bytes: encodeRequest(endpoint, request),
    head: request.method.toUpperCase() === 'HEAD',
  }));
  return { endpoint, planned };
}

/** One keep-alive connection with at most one request in flight; it is the handler of its exchanges. */
class Connection {
  readonly transport: HttpConnection;
  sentAt = 0;
  intendedAt = 0;
  measured = false;
  request: LoadRequest | undefined;

  constructor(
    endpoint: Endpoint,
    private readonly done: Done,
  ) {
    this.transport = new HttpConnection(endpoint, this);
  }

  send(planned: PlannedRequest, intendedAt: number, sentAt: number, measured: boolean): void {
    this.intendedAt = intendedAt;
    this.sentAt = sentAt;
    this.measured = measured;
    this.request = planned.request;
    this.transport.send(planned.bytes, planned.head);
  }

  onExchangeEnd(status: number, error: Error | null): void {
    this.done(this, status, error);
  }

  get busy(): boolean {
    return this.transport.busy;
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

  /** what both models report of their requests */
  counts(): Pick<RunOutcome, 'requests' | 'responses' | 'completedInWindow' | 'successInWindow' | 'errors' | 'latency'> {
    return {
      requests: this.requests,
      responses: this.responses,
      completedInWindow: this.completedInWindow,
      successInWindow: this.successInWindow,
      errors: this.errors,
      latency: this.latency.summary(),
    };
  }

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

/** Closes every socket (nothing is in flight unless the run was aborted; then it is dropped). */
function closeAll(connections: readonly Connection[]): Promise<void> {
  for (const connection of connections) connection.transport.close();
  return Promise.resolve();
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
    const { endpoint, planned: mix } = plan(target);
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
      const request = mix[next]!;
      next = (next + 1) % mix.length;
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
        // a timeout or another failure: the next request on the next turn of the event loop
        setImmediate(() => sendNext(connection));
      } else {
        sendNext(connection);
      }
    };

    const finish = () => {
      if (ended) return;
      ended = true;
      endedAt = now();
      clearTimeout(windowTimer);
      stopProgress();
      options.signal?.removeEventListener('abort', onAbort);
      const generator = meter.stop();
      const windowEnd = Math.min(endedAt, stopAt);
      void closeAll(connections).then(() =>
        resolve({
          connections: connections.length,
          durationMs: Math.max(0, windowEnd - measureFrom),
          ...tally.counts(),
          asSentLatency: null,
          late: null,
          dropped: null,
          generator,
          stoppedBy,
        }),
      );
    };
    const maybeFinish = () => {
      if (!ended && connections.every((connection) => !connection.busy)) finish();
    };
    const onAbort = () => {
      stoppedBy = 'interrupted';
      finish();
    };
    // when the window ends, users stop at their next turn; this timer only covers a window with no traffic
    const windowTimer = setTimeout(() => maybeFinish(), Math.max(0, stopAt - now()) + 1);

    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < options.concurrency; i++) connections.push(new Connection(endpoint, onDone));
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
    const { endpoint, planned: mix } = plan(target);
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
          connection = new Connection(endpoint, onDone);
          connections.push(connection);
        }
        const intendedAt = startedAt + sentIndex * intervalMs;
        sentIndex += 1;
        if (at - intendedAt > LATE_THRESHOLD_MS) late += 1;
        const request = mix[next]!;
        next = (next + 1) % mix.length;
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

    const finish = () => {
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
      void closeAll(connections).then(() =>
        resolve({
          connections: connections.length,
          durationMs: Math.max(0, windowEnd - startedAt),
          ...tally.counts(),
          asSentLatency: asSent.summary(),
          late,
          dropped: Math.max(0, dueByEnd - sentIndex),
          generator,
          stoppedBy,
        }),
      );
    };
    const maybeFinish = () => {
      if (!ended && sendingClosed && connections.every((connection) => !connection.busy)) finish();
    };
    const onAbort = () => {
      stoppedBy = 'interrupted';
      finish();
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
