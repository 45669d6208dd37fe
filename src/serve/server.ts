/**
 * `perf-analyze serve`: the dashboard API of the specification under
 * /api/v1/performance-dashboard/, /metrics (Prometheus exposition of the latest report and
 * the live sample) and the dashboard page at /. Read-only (GET and HEAD; the one POST starts
 * a load test, off unless --allow-load-test), a per-client request rate bound (token bucket),
 * a timeout on every response, JSON errors with a message and a proper status. Binding
 * anything but loopback requires a bearer token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Report } from '../contracts/report.js';
import type { ChartLibrary } from '../contracts/reporter.js';
import { NOMINAL_WEIGHTS } from '../scoring/index.js';
import { mergeThresholds, type ThresholdOverrides } from '../rules/thresholds.js';
import { errorMessage } from '../shared/errors.js';
import { renderHtml } from '../reporters/html.js';
import { renderPrometheus, PROM_PREFIX } from '../reporters/prom.js';
import type { RealtimeSample, RealtimeSampler } from './realtime.js';
import type { SavedReports } from './saved-reports.js';
import type { LoadTestController } from './load-test.js';
import type { QuickRunner } from './quick-run.js';

export const API_BASE = '/api/v1/performance-dashboard';
export const MAX_HISTORY_HOURS = 24 * 366;

export interface ServeOptions {
  host: string;
  port: number;
  token?: string;
  config: Config;
  reports: SavedReports;
  sampler: RealtimeSampler;
  loadTest: LoadTestController;
  /** runs the fresh quick analysis of bottlenecks/analysis?fresh=1 (absent: fresh=1 is a 404 saying so) */
  quickRun?: QuickRunner;
  chartLibrary: ChartLibrary;
  /** requests per second per client address (token bucket; burst twice that) */
  rateLimit: number;
  /** every response is answered within this, or a 503 */
  responseTimeoutMs: number;
  refreshSeconds: number;
  now?: () => Date;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const isLoopback = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);

function send(response: ServerResponse, status: number, body: string, type: string, head = false) {
  if (response.headersSent) return;
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(head ? undefined : body);
}
const json = (response: ServerResponse, status: number, value: unknown, head = false) => send(response, status, `${JSON.stringify(value)}\n`, 'application/json; charset=utf-8', head);
const jsonError = (response: ServerResponse, status: number, message: string) => json(response, status, { error: { status, message } });

/** `hours`: a positive number up to a year, default 24. */
export function parseHours(value: string | null): number {
  if (value === null) return 24;
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new HttpError(400, `hours must be a number of hours greater than 0 and at most ${MAX_HISTORY_HOURS}, e.g. hours=24; got "${value.slice(0, 40)}"`);
  const hours = Number(trimmed);
  if (!(hours > 0) || hours > MAX_HISTORY_HOURS) throw new HttpError(400, `hours must be a number of hours greater than 0 and at most ${MAX_HISTORY_HOURS} (a year); got ${value.slice(0, 40)}`);
  return hours;
}

/** `fresh`: 1 / true asks for a fresh quick run, 0 / false (or absent) for the latest saved report. */
export function parseFresh(value: string | null): boolean {
  if (value === null) return false;
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '1' || trimmed === 'true') return true;
  if (trimmed === '0' || trimmed === 'false') return false;
  throw new HttpError(400, `fresh must be 1 or true (a fresh quick run), or 0 or false (the latest saved report); got "${value.slice(0, 40)}"`);
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;
const bottlenecksOf = (report: Report) =>
  [...report.findings]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    .map((f) => ({ severity: f.severity, category: f.category, subject: f.subject, title: f.title, message: f.message, evidence: f.evidence, recommendation: f.recommendation, rule: f.ruleId }));

const STATUS_OF: Record<string, string> = { EXCELLENT: 'excellent', GOOD: 'good', FAIR: 'fair', POOR: 'poor', CRITICAL: 'critical' };

class TokenBuckets {
  private buckets = new Map<string, { tokens: number; atMs: number }>();
  constructor(private readonly perSecond: number) {}
  take(key: string): boolean {
    const now = performance.now();
    const burst = this.perSecond * 2;
    const bucket = this.buckets.get(key) ?? { tokens: burst, atMs: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.atMs) / 1000) * this.perSecond);
    bucket.atMs = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

export function healthOverview(report: { file: string; report: Report } | null, sample: RealtimeSample, config: Config, timestamp: string) {
  const r = report?.report;
  const server = r?.metrics.postgres?.servers[0];
  const database = r?.metrics.postgres?.databases.find((entry) => entry.reachable);
  const live = sample.database?.connections ?? null;
  const statements = database?.statements ?? null;
  const thresholds = mergeThresholds(config.thresholds as ThresholdOverrides) as unknown as Record<string, { warning?: number; critical?: number } | undefined>;
  const alerts: Array<{ level: 'critical' | 'warning'; source: 'live' | 'report'; subject: string; message: string }> = [];
  const liveCheck = (name: string, value: number | null, key: string, subject: string) => {
    const limits = thresholds[key] ?? {};
    if (value === null) return;
    if (limits.critical !== undefined && value > limits.critical) alerts.push({ level: 'critical', source: 'live', subject, message: `${name} ${value} % > ${limits.critical} %` });
    else if (limits.warning !== undefined && value > limits.warning) alerts.push({ level: 'warning', source: 'live', subject, message: `${name} ${value} % > ${limits.warning} %` });
  };
  liveCheck('CPU', sample.host.cpu_percent, 'cpu', 'host:cpu');
  liveCheck('memory', sample.host.memory_percent, 'memory', 'host:memory');
  liveCheck('disk /', sample.host.disk_percent, 'disk', 'host:disk:/');
  if (live) liveCheck('connection pool', live.utilization_percent, 'connections', 'postgres:connections');
  for (const finding of r?.findings ?? []) {
    if (finding.severity === 'info') continue;
    alerts.push({ level: finding.severity, source: 'report', subject: finding.subject, message: `${finding.title}: ${finding.message}` });
  }
  const byState = (state: string) => server?.connections.byState.find((entry) => entry.key === state)?.count ?? null;
  return {
    timestamp,
    health_status: r ? (STATUS_OF[r.assessment] ?? r.assessment.toLowerCase()) : 'unknown',
    health_score: r ? r.scores.health : null,
    performance_score: r?.scores.performance ?? null,
    system_metrics: { cpu_percent: sample.host.cpu_percent, memory_percent: sample.host.memory_percent, disk_percent: sample.host.disk_percent },
    database_metrics: {
      connections: {
        active: live?.active ?? byState('active'),
        idle: live?.idle ?? byState('idle'),
        max: live?.max ?? server?.connections.maxConnections ?? null,
        utilization_percent: live?.utilization_percent ?? server?.connections.utilisationPercent.value ?? null,
      },
      performance: {
        avg_query_time_ms: statements?.averageMs.value ?? null,
        // the report's slow-statement rate: calls per hour of statements whose mean is above statements.slowMeanMs
        slow_queries_count: statements?.slowCallsPerHour.value ?? null,
        queries_per_second: sample.database?.transactions_per_second ?? database?.stats?.transactionsPerSec.value ?? null,
      },
      source: live ? 'live' : server ? 'report' : 'not configured',
    },
    alerts,
    report: report ? { file: report.file, started_at: report.report.startedAt, assessment: report.report.assessment } : null,
  };
}

/** the live sample as Prometheus gauges, appended to the report's exposition */
function livePrometheus(sample: RealtimeSample): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number | null) => {
    if (value === null) return;
    lines.push(`# HELP ${PROM_PREFIX}_live_${name} ${help}`, `# TYPE ${PROM_PREFIX}_live_${name} gauge`, `${PROM_PREFIX}_live_${name} ${Math.round(value * 1e6) / 1e6}`);
  };
  gauge('host_cpu_ratio', 'Host CPU busy, all cores, 0-1, over the interval since the previous sample.', sample.host.cpu_percent === null ? null : sample.host.cpu_percent / 100);
  gauge('host_memory_used_ratio', 'Host memory used (total - available), 0-1.', sample.host.memory_percent === null ? null : sample.host.memory_percent / 100);
  gauge('host_disk_root_used_ratio', 'Space used on /, 0-1 (as df).', sample.host.disk_percent === null ? null : sample.host.disk_percent / 100);
  const c = sample.database?.connections;
  if (c) {
    gauge('postgres_connections_active', 'Client backends running a query.', c.active);
    gauge('postgres_connections_total', 'Client backends.', c.total);
    gauge('postgres_connections_utilization_ratio', 'Client backends / (max_connections - reserved), 0-1.', c.utilization_percent / 100);
  }
  if (sample.cache && sample.cache.used_memory_bytes !== null) gauge('redis_used_memory_bytes', 'Redis used_memory.', sample.cache.used_memory_bytes);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function dashboardConfig(options: Pick<ServeOptions, 'config' | 'refreshSeconds'>) {
  return {
    refresh_interval_seconds: options.refreshSeconds,
    weights: { ...NOMINAL_WEIGHTS },
    thresholds: mergeThresholds(options.config.thresholds as ThresholdOverrides),
    load_caps: { concurrency: options.config.load.concurrency, duration_seconds: options.config.load.durationSeconds, max_total_seconds: options.config.load.maxTotalSeconds, max_requests: options.config.load.maxRequests },
    response_time_budgets_ms: { 'health-overview': 500, 'metrics/realtime': 200, 'metrics/historical': 1000, 'bottlenecks/analysis': 2000, 'load-test/status': 100, 'dashboard/config': 50 },
    endpoints: ['health-overview', 'metrics/realtime', 'metrics/historical?hours=N', 'bottlenecks/analysis', 'bottlenecks/analysis?fresh=1', 'load-test/status', 'load-test/start (POST)', 'dashboard/config'].map((name) => `${API_BASE}/${name}`),
  };
}

/** What a route handler gets: the server's options, the request, its response and parsed URL. */
interface RouteContext {
  options: ServeOptions;
  now: () => Date;
  response: ServerResponse;
  url: URL;
  /** a HEAD request: headers only */
  head: boolean;
}

type Route = (context: RouteContext) => Promise<void> | void;

const noReportYet = (options: ServeOptions, hint = '') =>
  new HttpError(404, `no saved report in ${options.reports.dir} yet: run perf-analyze -o ${options.reports.dir} first${hint}`);

/** `/`: the HTML report of the newest saved run, refreshed live from the API. */
async function dashboardPage({ options, response, head }: RouteContext): Promise<void> {
  const latest = await options.reports.latestReport();
  if (!latest) throw noReportYet(options);
  const page = renderHtml(latest.report, options.chartLibrary, {
    live: { api: API_BASE, refreshSeconds: options.refreshSeconds, points: 120, ...(options.token ? { token: options.token } : {}) },
  });
  send(response, 200, page, 'text/html; charset=utf-8', head);
}

/** `/metrics`: the newest report's metrics and a live sample, for Prometheus. */
async function prometheusMetrics({ options, response, head }: RouteContext): Promise<void> {
  const [latest, sample] = await Promise.all([options.reports.latestReport(), options.sampler.get()]);
  const text = (latest ? renderPrometheus(latest.report) : '') + livePrometheus(sample);
  send(response, 200, text, 'text/plain; version=0.0.4; charset=utf-8', head);
}

async function healthOverviewRoute({ options, now, response, head }: RouteContext): Promise<void> {
  const [latest, sample] = await Promise.all([options.reports.latestReport(), options.sampler.get()]);
  json(response, 200, healthOverview(latest, sample, options.config, now().toISOString()), head);
}

async function realtimeMetrics({ options, response, head }: RouteContext): Promise<void> {
  json(response, 200, await options.sampler.get(), head);
}

/** `metrics/historical?hours=N`: the saved reports of the last N hours. */
async function historicalMetrics({ options, now, response, url, head }: RouteContext): Promise<void> {
  const hours = parseHours(url.searchParams.get('hours'));
  const until = now();
  const since = new Date(until.getTime() - hours * 3600 * 1000);
  const { reports, skipped } = await options.reports.since(since);
  json(response, 200, { hours, from: since.toISOString(), to: until.toISOString(), count: reports.length, skipped, reports }, head);
}

/** `bottlenecks/analysis?fresh=1`: a quick run now (shared with a run already under way), not saved. */
async function freshBottlenecks({ options, now, response, head }: RouteContext): Promise<void> {
  if (!options.quickRun) throw new HttpError(404, 'fresh quick runs are not available on this server');
  const outcome = await options.quickRun.run();
  if (outcome.kind === 'busy') {
    response.setHeader('retry-after', '2');
    throw new HttpError(503, outcome.message);
  }
  if (outcome.kind === 'failed') throw new HttpError(503, outcome.message);
  const { report, durationMs, cutShort, startedAtMs } = outcome.result;
  const { deadlineMs } = options.quickRun.options;
  const windowSeconds = options.quickRun.windowSeconds;
  json(
    response,
    200,
    {
      timestamp: now().toISOString(),
      report: null,
      fresh_run: {
        started_at: new Date(startedAtMs).toISOString(),
        duration_ms: durationMs,
        window_seconds: windowSeconds,
        deadline_ms: deadlineMs,
        shared: outcome.joined,
        interrupted: report.interrupted,
        cut_short: cutShort,
        note: report.interrupted
          ? `the configured phases did not fit in ${deadlineMs} ms: the run was stopped there${cutShort.length > 0 ? ` and ${cutShort.join(', ')} did not run` : ''}; these findings cover what was measured. Run perf-analyze for a full report.`
          : `quick run: ${windowSeconds} s sampling window per phase, no load test, no diagnosis, no baseline comparison, not saved`,
        assessment: report.assessment,
        health_score: report.scores.health,
        phases: report.phases.map((phase) => ({ id: phase.id, status: phase.status, duration_ms: phase.durationMs, ...(phase.reason ? { reason: phase.reason } : {}) })),
        not_measured: report.notMeasured,
      },
      summary: report.summary,
      bottlenecks: bottlenecksOf(report),
    },
    head,
  );
}

/** `bottlenecks/analysis`: the newest saved report's bottlenecks; `?fresh=1` runs a quick analysis instead. */
async function bottlenecks(context: RouteContext): Promise<void> {
  const { options, now, response, url, head } = context;
  if (parseFresh(url.searchParams.get('fresh'))) return freshBottlenecks(context);
  const latest = await options.reports.latestReport();
  if (!latest) throw noReportYet(options, ', or ask for a fresh quick run with ?fresh=1');
  json(
    response,
    200,
    {
      timestamp: now().toISOString(),
      report: { file: latest.file, started_at: latest.report.startedAt, assessment: latest.report.assessment, health_score: latest.report.scores.health },
      summary: latest.report.summary,
      bottlenecks: bottlenecksOf(latest.report),
    },
    head,
  );
}

/** The read-only routes (GET and HEAD), by path. */
const READ_ROUTES: Record<string, Route> = {
  '/': dashboardPage,
  '/metrics': prometheusMetrics,
  [`${API_BASE}/health-overview`]: healthOverviewRoute,
  [`${API_BASE}/metrics/realtime`]: realtimeMetrics,
  [`${API_BASE}/metrics/historical`]: historicalMetrics,
  [`${API_BASE}/bottlenecks/analysis`]: bottlenecks,
  [`${API_BASE}/load-test/status`]: ({ options, response, head }) => json(response, 200, options.loadTest.status(), head),
  [`${API_BASE}/dashboard/config`]: ({ options, response, head }) => json(response, 200, dashboardConfig(options), head),
};

/** `POST load-test/start`: the one route that changes something; refused when a load test is not allowed. */
function startLoadTest({ options, response }: RouteContext): void {
  const why = options.loadTest.unavailable();
  if (why) throw new HttpError(options.config.api.baseUrl ? 403 : 409, why);
  try {
    options.loadTest.start();
  } catch (error) {
    throw new HttpError(409, errorMessage(error));
  }
  json(response, 202, options.loadTest.status());
}

async function route(request: IncomingMessage, context: RouteContext): Promise<void> {
  const path = context.url.pathname.replace(/\/+$/, '') || '/';
  if (request.method === 'POST' && path === `${API_BASE}/load-test/start`) return startLoadTest(context);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    context.response.setHeader('allow', 'GET, HEAD');
    throw new HttpError(405, `${request.method} is not allowed: the dashboard is read-only (GET; POST only on ${API_BASE}/load-test/start)`);
  }
  const handler = READ_ROUTES[path];
  if (!handler) throw new HttpError(404, `no such endpoint: ${path.slice(0, 100)}; see ${API_BASE}/dashboard/config for the list`);
  return handler(context);
}

/** With a token, whether the request carries it (compared in constant time); without one, always. */
function tokenCheck(token: string | undefined): (request: IncomingMessage, url: URL) => boolean {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return (request, url) => {
    if (!expected) return true;
    const header = request.headers.authorization;
    // the page at / may be opened in a browser with ?token=..., and then calls the API with the header
    const given = Buffer.from(header ?? (url.pathname === '/' && url.searchParams.get('token') !== null ? `Bearer ${url.searchParams.get('token')}` : ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

/** Every request: a response deadline, then the URL, the rate limit and the token are checked before its route runs. */
function requestHandler(options: ServeOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const buckets = new TokenBuckets(options.rateLimit);
  const now = options.now ?? (() => new Date());
  const authorised = tokenCheck(options.token);
  return (request, response) => {
    const timer = setTimeout(() => jsonError(response, 503, `the response took longer than ${options.responseTimeoutMs} ms and was abandoned`), options.responseTimeoutMs);
    response.on('close', () => clearTimeout(timer));
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return jsonError(response, 400, 'the request URL could not be parsed');
    }
    if (!buckets.take(request.socket.remoteAddress ?? 'unknown')) {
      response.setHeader('retry-after', '1');
      return jsonError(response, 429, `too many requests: at most ${options.rateLimit} per second per client`);
    }
    if (!authorised(request, url)) {
      response.setHeader('www-authenticate', 'Bearer');
      return jsonError(response, 401, 'a bearer token is required: send "Authorization: Bearer <token>" (the --token serve was started with)');
    }
    route(request, { options, now, response, url, head: request.method === 'HEAD' }).catch((error: unknown) => {
      if (error instanceof HttpError) return jsonError(response, error.status, error.message);
      jsonError(response, 500, `internal error: ${errorMessage(error)}`);
    });
  };
}

export function startServer(options: ServeOptions): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(requestHandler(options));
  server.requestTimeout = options.responseTimeoutMs * 2;
  server.headersTimeout = Math.min(10_000, options.responseTimeoutMs * 2);
  server.keepAliveTimeout = 5000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        server,
        url: `http://${hostPart}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
