/**
 * The facts of the load test (collector `load`, API phase). Latencies are recorded in HDR
 * histograms in microseconds and reported in milliseconds with three decimals (microsecond
 * resolution). Closed-model runs say so (`model: "closed"`); open-model runs carry both the
 * latency from each request's intended start (coordinated omission corrected) and as sent.
 */

export type LoadModel = 'closed' | 'open';

/** Percentiles of one HDR histogram; null values when there were no samples. */
export interface LatencySummary {
  /** requests behind the numbers */
  samples: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

/** Failed requests by class: an unexpected status code, a timeout, a refused or reset connection, anything else. */
export interface ErrorCounts {
  total: number;
  /** unexpected status codes, e.g. {"503": 12} */
  byStatus: Record<string, number>;
  timeout: number;
  refused: number;
  reset: number;
  other: number;
}

/** What the run cost the load generator itself (one Node process, single-threaded). */
export interface GeneratorLoad {
  /** CPU time of the generator process over the run as % of one core (process.cpuUsage) */
  cpuPercent: number;
  /** event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution) */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** true when the generator, not the target, was the bottleneck (limits in knee.generator) */
  saturated: boolean;
  /** why it counts as saturated, e.g. "generator CPU 97.0 % of one core >= 90 %" */
  reason: string | null;
}

export type LoadStop = 'duration' | 'max-requests' | 'interrupted';

/** One level of the concurrency ladder (closed model) or one fixed rate (open model). */
export interface LoadRunMetrics {
  model: LoadModel;
  /** closed model: virtual users, each with its own connection */
  concurrency: number | null;
  /** open model: the requested rate, requests/s */
  targetRps: number | null;
  /** connections opened */
  connections: number;
  /** the measured window (after warm-up) */
  durationMs: number;
  /** requests measured (warm-up excluded) */
  requests: number;
  /** responses and errors per second over the measured window */
  throughputRps: number;
  /** responses with an expected status per second */
  successRps: number;
  errorPercent: number;
  errors: ErrorCounts;
  /** closed: from send to the end of the response; open: from the intended start (corrected) */
  latency: LatencySummary;
  /** open model only: from the moment the request was actually sent */
  asSentLatency: LatencySummary | null;
  /** open model only: requests sent more than `lateThresholdMs` after their intended start */
  late: number | null;
  /** open model only: requests due within the window that were never sent (no free connection in time) */
  dropped: number | null;
  lateThresholdMs: number | null;
  generator: GeneratorLoad;
  stoppedBy: LoadStop;
}

export interface KneeCriteria {
  /** p95 must stay at or below this (ms) */
  p95Ms: number;
  /** errors must stay below this % of requests */
  maxErrorPercent: number;
  /** throughput must grow by at least this % from one level to the next */
  minGrowthPercent: number;
}

export type KneeBreak = 'latency' | 'errors' | 'throughput' | 'generator';

/** Capacity of the target from the concurrency ladder (src/load/knee.ts). */
export interface KneeResult {
  criteria: KneeCriteria;
  /** the highest level that met every criterion; null when even the first level did not */
  capacity: { concurrency: number; throughputRps: number; p95Ms: number | null } | null;
  /** the first level that broke a criterion; null when the ladder ended without breaking */
  brokeAt: { concurrency: number; reason: KneeBreak; detail: string } | null;
  /** "about 25 concurrent users, 1,210 requests/s; at 50 users p95 was 612.0 ms > 500 ms" */
  summary: string;
}

export interface LoadMetrics {
  /** the base URL loaded (scheme, host, port, path; never credentials) */
  baseUrl: string;
  /** "METHOD path" of each request in the mix, sent round-robin */
  endpoints: string[];
  /** configured endpoints left out of the load, with the reason */
  skippedEndpoints: Array<{ name: string; reason: string }>;
  ladder: LoadRunMetrics[];
  rates: LoadRunMetrics[];
  knee: KneeResult | null;
  /** levels or rates not run, with the reason (caps, Ctrl-C) */
  skipped: string[];
  totalRequests: number;
  /** load.thinkTimeSeconds: a real user's pause between requests, to turn the sustainable rate into concurrent users (Little's law); absent: capacity is a rate only */
  thinkTimeSeconds?: number;
  /** logins made for the load test: the first, plus one before each step its token would not outlive (absent without a login) */
  logins?: number;
  limits: {
    durationSeconds: number;
    warmupSeconds: number;
    maxTotalSeconds: number;
    maxRequests: number;
    timeoutSeconds: number;
    /** open model: most connections opened at once */
    connections: number;
    generator: { cpuPercent: number; eventLoopDelayMs: number };
  };
}
