/**
 * The load test the dashboard can start: the configured ladder (src/collectors/load, within
 * load.* caps: concurrency, duration, maxTotalSeconds, maxRequests), one at a time. Its state
 * and live numbers (the engine's progress line, elapsed time) are read by load-test/status.
 */
import { collectLoad } from '../collectors/load/index.js';
import type { Config } from '../config/schema.js';
import type { LoadMetrics } from '../contracts/load.js';
import type { HttpPort } from '../ports/http.js';
import { errorMessage } from '../shared/errors.js';

export type LoadTestState = 'idle' | 'running' | 'finished' | 'failed' | 'stopped';

export interface LoadTestStatus {
  state: LoadTestState;
  /** why a test cannot be started here, null when it can */
  unavailable: string | null;
  started_at: string | null;
  elapsed_ms: number | null;
  /** the latest progress line, e.g. "25 users (3/4): 3.2/10.0 s, 4,120 requests, 0 errors" */
  progress: string | null;
  caps: { concurrency: number[]; rates: number[]; duration_seconds: number; max_total_seconds: number; max_requests: number };
  result: { total_requests: number; capacity: string | null; levels: Array<{ concurrency: number | null; throughput_rps: number; p95_ms: number | null; error_percent: number }> } | null;
  error: string | null;
}

export class LoadTestController {
  private state: LoadTestState = 'idle';
  private startedAt: Date | null = null;
  private startedMs: number | null = null;
  private endedMs: number | null = null;
  private progress: string | null = null;
  private result: LoadMetrics | null = null;
  private error: string | null = null;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly config: Config,
    private readonly allowed: boolean,
    /** for the load test's login */
    private readonly http: HttpPort,
  ) {}

  unavailable(): string | null {
    if (!this.config.api.baseUrl) return 'no API configured (api.baseUrl or --api-url): there is nothing to load';
    if (!this.allowed) return 'starting a load test from the dashboard is off; restart serve with --allow-load-test';
    return null;
  }

  status(): LoadTestStatus {
    const load = this.config.load;
    const now = performance.now();
    return {
      state: this.state,
      unavailable: this.unavailable(),
      started_at: this.startedAt?.toISOString() ?? null,
      elapsed_ms: this.startedMs === null ? null : Math.round((this.endedMs ?? now) - this.startedMs),
      progress: this.progress,
      caps: { concurrency: [...load.concurrency], rates: [...load.rates], duration_seconds: load.durationSeconds, max_total_seconds: load.maxTotalSeconds, max_requests: load.maxRequests },
      result: this.result
        ? {
            total_requests: this.result.totalRequests,
            capacity: this.result.knee?.summary ?? null,
            levels: this.result.ladder.map((level) => ({ concurrency: level.concurrency, throughput_rps: level.throughputRps, p95_ms: level.latency.p95Ms, error_percent: level.errorPercent })),
          }
        : null,
      error: this.error,
    };
  }

  /** Starts the configured load test; throws a message when it cannot (the server answers 409). */
  start(): void {
    const why = this.unavailable();
    if (why) throw new Error(why);
    if (this.state === 'running') throw new Error('a load test is already running; see load-test/status');
    this.state = 'running';
    this.startedAt = new Date();
    this.startedMs = performance.now();
    this.endedMs = null;
    this.progress = null;
    this.result = null;
    this.error = null;
    const controller = (this.controller = new AbortController());
    this.running = collectLoad(this.config, {
      signal: controller.signal,
      http: this.http,
      onProgress: (step) =>
        (this.progress =
          step.done ??
          `${step.step} (${step.index}/${step.steps}): ${(step.elapsedMs / 1000).toFixed(1)}/${(step.plannedMs / 1000).toFixed(1)} s, ` +
            `${step.requests.toLocaleString('en-US')} requests, ${step.errors.toLocaleString('en-US')} errors`),
    })
      .then((outcome) => {
        this.result = outcome.data;
        this.state = controller.signal.aborted ? 'stopped' : 'finished';
      })
      .catch((error: unknown) => {
        this.error = errorMessage(error);
        this.state = 'failed';
      })
      .finally(() => (this.endedMs = performance.now()));
  }

  /** Stops a running test (Ctrl-C of the server) and waits for it. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
  }
}
