/**
 * The load test: the closed-model concurrency ladder over the configured endpoints, then any
 * open-model rates, within the caps (duration per level, total time, total requests), stopping
 * at once on Ctrl-C with the levels measured so far. The knee (capacity) comes from the ladder.
 */
import type { CollectorProgress, CollectorResult } from '../../contracts/collector.js';
import type { GeneratorLoad, LoadMetrics, LoadRunMetrics } from '../../contracts/load.js';
import type { Config } from '../../config/schema.js';
import { LATE_THRESHOLD_MS, runClosed, runOpen, type LoadProgress, type RunOutcome } from '../../load/engine.js';
import type { GeneratorSample } from '../../load/meter.js';
import { findKnee } from '../../load/knee.js';
import { buildPlan, planNeedsLogin, type LoadLogin } from './plan.js';
import { originOf, type HttpPort } from '../../ports/http.js';
import { loginOnce } from '../api/login.js';
import { tokenExpiresAtSeconds } from '../api/jwt.js';
import type { ApiSession } from '../api/request.js';

/** A level whose errors reach this share stops the ladder: the target is failing, more load only hurts it. */
export const STOP_LADDER_ERROR_PERCENT = 50;
/** A level is not started with less time than this left under load.maxTotalSeconds. */
const MIN_LEVEL_MS = 500;
/** A token is renewed when it would expire within this long after the coming step. Design choice: room for clock skew with the server and requests still in flight. */
export const TOKEN_RENEW_MARGIN_MS = 10_000;

export interface LoadCollectOptions {
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** for the one login before the load */
  http: HttpPort;
  /** level/rate progress while a step runs, and its outcome once it finished */
  onProgress?: (progress: CollectorProgress) => void;
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export function generatorLoad(sample: GeneratorSample, limits: Config['load']['generator']): GeneratorLoad {
  const reasons: string[] = [];
  if (sample.cpuPercent >= limits.cpuPercent) reasons.push(`generator CPU ${sample.cpuPercent.toFixed(1)} % of one core >= ${limits.cpuPercent} %`);
  if (sample.eventLoopDelayP99Ms >= limits.eventLoopDelayMs) {
    reasons.push(`event-loop delay p99 ${sample.eventLoopDelayP99Ms.toFixed(1)} ms >= ${limits.eventLoopDelayMs} ms`);
  }
  return { ...sample, saturated: reasons.length > 0, reason: reasons.length > 0 ? reasons.join('; ') : null };
}

/** One finished level or rate in a line: "1,234 requests/s, p95 12.3 ms, 0.0 % errors, 12,340 requests". */
export function stepSummary(run: LoadRunMetrics): string {
  const p95 = run.latency.p95Ms === null ? 'p95 -' : `p95 ${run.latency.p95Ms.toFixed(1)} ms`;
  const stopped = run.stoppedBy === 'interrupted' ? ' (interrupted)' : '';
  return `${run.throughputRps.toLocaleString('en-US')} requests/s, ${p95}, ${run.errorPercent.toFixed(1)} % errors, ${run.requests.toLocaleString('en-US')} requests${stopped}`;
}

export function toRunMetrics(
  outcome: RunOutcome,
  shape: { model: 'closed'; concurrency: number } | { model: 'open'; targetRps: number },
  limits: Config['load']['generator'],
): LoadRunMetrics {
  const seconds = outcome.durationMs / 1000;
  return {
    model: shape.model,
    concurrency: shape.model === 'closed' ? shape.concurrency : null,
    targetRps: shape.model === 'open' ? shape.targetRps : null,
    connections: outcome.connections,
    durationMs: round(outcome.durationMs, 3),
    requests: outcome.requests,
    throughputRps: seconds > 0 ? round(outcome.completedInWindow / seconds, 1) : 0,
    successRps: seconds > 0 ? round(outcome.successInWindow / seconds, 1) : 0,
    errorPercent: outcome.requests > 0 ? round((outcome.errors.total / outcome.requests) * 100, 3) : 0,
    errors: outcome.errors,
    latency: outcome.latency,
    asSentLatency: outcome.asSentLatency,
    late: outcome.late,
    dropped: outcome.dropped,
    lateThresholdMs: shape.model === 'open' ? LATE_THRESHOLD_MS : null,
    generator: generatorLoad(outcome.generator, limits),
    stoppedBy: outcome.stoppedBy,
  };
}

/**
 * One login through the API phase's code (same request, same token extraction): the token is
 * sent on the `auth: true` endpoints of the mix and never written anywhere.
 */
async function logIn(config: Config, http: HttpPort, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<LoadLogin> {
  const api = config.api;
  const client = http.client(originOf(api.baseUrl as string), { insecure: api.insecure, connections: 1, connectTimeoutMs: api.timeoutSeconds * 1000 });
  const session: ApiSession = { client, api, env, secrets: new Set(), token: null, signal };
  try {
    return await loginOnce(session);
  } finally {
    await client.close();
  }
}

export async function collectLoad(config: Config, options: LoadCollectOptions): Promise<CollectorResult<LoadMetrics>> {
  const load = config.load;
  const env = options.env ?? process.env;
  const http = options.http;
  let login = planNeedsLogin(config) ? await logIn(config, http, env, options.signal) : undefined;
  let logins = login ? 1 : 0;
  const plan = buildPlan(config, env, login);
  if (plan.requests.length === 0) {
    throw new Error(`no endpoint to load: ${plan.skipped.map((entry) => `${entry.name} (${entry.reason})`).join('; ')}`);
  }
  let target = { origin: plan.origin, requests: plan.requests, timeoutMs: load.timeoutSeconds * 1000, insecure: config.api.insecure };
  /**
   * A JWT that would expire before the coming step ends (with TOKEN_RENEW_MARGIN_MS to spare) is
   * replaced by a new login first; a failed renewal keeps the old token (its requests then fail with
   * the server's status, counted as errors). A token that lives shorter than one step still expires in it.
   */
  let tokenIsFresh = true; // logged in since the last step: a new login would give no longer-lived token
  const renewToken = async (stepMs: number) => {
    const fresh = tokenIsFresh;
    tokenIsFresh = false;
    if (fresh || !login || !('token' in login)) return;
    const expiresAt = tokenExpiresAtSeconds(login.token);
    if (expiresAt === null || expiresAt * 1000 - Date.now() > stepMs + TOKEN_RENEW_MARGIN_MS) return;
    const renewed = await logIn(config, http, env, options.signal);
    logins += 1;
    if (!('token' in renewed)) return;
    login = renewed;
    target = { ...target, requests: buildPlan(config, env, login).requests };
  };
  const startedAt = performance.now();
  const deadline = startedAt + load.maxTotalSeconds * 1000;
  const warmupMs = load.warmupSeconds * 1000;
  const durationMs = load.durationSeconds * 1000;
  let sent = 0;
  const skipped: string[] = [];
  const ladder: LoadRunMetrics[] = [];
  const rates: LoadRunMetrics[] = [];
  let stopLadder: string | null = null;

  const budget = (label: string, needsWarmup: boolean): { durationMs: number; maxRequests: number } | null => {
    if (options.signal.aborted) {
      skipped.push(`${label}: interrupted`);
      return null;
    }
    const requestsLeft = load.maxRequests - sent;
    if (requestsLeft <= 0) {
      skipped.push(`${label}: load.maxRequests (${load.maxRequests}) reached`);
      return null;
    }
    const timeLeft = deadline - performance.now() - (needsWarmup ? warmupMs : 0);
    if (timeLeft < Math.min(MIN_LEVEL_MS, durationMs)) {
      skipped.push(`${label}: load.maxTotalSeconds (${load.maxTotalSeconds} s) reached`);
      return null;
    }
    return { durationMs: Math.min(durationMs, timeLeft), maxRequests: requestsLeft };
  };
  const levels = [...new Set(load.concurrency)].sort((a, b) => a - b);
  const steps = levels.length + load.rates.length;
  let index = 0;
  const progress = (label: string) =>
    options.onProgress
      ? (state: LoadProgress) => options.onProgress?.({ collector: 'load', step: label, index, steps, ...state })
      : undefined;
  const finished = (label: string, run: LoadRunMetrics) =>
    options.onProgress?.({
      collector: 'load',
      step: label,
      index,
      steps,
      elapsedMs: run.durationMs,
      plannedMs: run.durationMs,
      requests: run.requests,
      errors: run.errors.total,
      done: stepSummary(run),
    });

  for (const concurrency of levels) {
    index += 1;
    const label = `${concurrency} users`;
    if (stopLadder !== null) {
      skipped.push(`${label}: ${stopLadder}`);
      continue;
    }
    const limits = budget(label, true);
    if (!limits) continue;
    await renewToken(warmupMs + limits.durationMs);
    const onProgress = progress(label);
    const outcome = await runClosed(target, {
      concurrency,
      warmupMs,
      durationMs: limits.durationMs,
      maxRequests: limits.maxRequests,
      signal: options.signal,
      ...(onProgress ? { onProgress } : {}),
    });
    const metrics = toRunMetrics(outcome, { model: 'closed', concurrency }, load.generator);
    sent += outcome.requests;
    ladder.push(metrics);
    finished(label, metrics);
    if (metrics.errorPercent >= STOP_LADDER_ERROR_PERCENT) {
      stopLadder = `not run: at ${concurrency} users ${metrics.errorPercent.toFixed(1)} % of requests failed (the ladder stops at >= ${STOP_LADDER_ERROR_PERCENT} %)`;
    }
  }

  for (const rate of load.rates) {
    index += 1;
    const label = `${rate} requests/s`;
    const limits = budget(label, false);
    if (!limits) continue;
    await renewToken(limits.durationMs);
    const onProgress = progress(label);
    const outcome = await runOpen(target, {
      rate,
      durationMs: limits.durationMs,
      maxRequests: limits.maxRequests,
      maxConnections: load.connections,
      signal: options.signal,
      ...(onProgress ? { onProgress } : {}),
    });
    sent += outcome.requests;
    const metrics = toRunMetrics(outcome, { model: 'open', targetRps: rate }, load.generator);
    rates.push(metrics);
    finished(label, metrics);
  }

  const data: LoadMetrics = {
    baseUrl: plan.baseUrl,
    endpoints: plan.requests.map((request) => request.name),
    skippedEndpoints: plan.skipped,
    ladder,
    rates,
    knee: findKnee(ladder, load.knee),
    skipped,
    totalRequests: sent,
    ...(load.thinkTimeSeconds !== undefined ? { thinkTimeSeconds: load.thinkTimeSeconds } : {}),
    ...(logins > 0 ? { logins } : {}),
    limits: {
      durationSeconds: load.durationSeconds,
      warmupSeconds: load.warmupSeconds,
      maxTotalSeconds: load.maxTotalSeconds,
      maxRequests: load.maxRequests,
      timeoutSeconds: load.timeoutSeconds,
      connections: load.connections,
      generator: { ...load.generator },
    },
  };
  const interrupted = options.signal.aborted || [...ladder, ...rates].some((run) => run.stoppedBy === 'interrupted');
  if (interrupted) return { data, partial: 'interrupted: the levels measured so far are kept' };
  const runs = [...ladder, ...rates];
  // no level found a server: nothing about the target was measured
  if (runs.length > 0 && runs.every(noServer)) {
    const refused = runs.reduce((sum, run) => sum + run.errors.refused, 0);
    const reset = runs.reduce((sum, run) => sum + run.errors.reset, 0);
    return { data, failed: `the API did not answer at any level (${refused} requests refused, ${reset} reset): no capacity measured` };
  }
  const gone = targetGone(runs);
  return gone ? { data, partial: gone } : { data };
}

/**
 * A level in which at least half the requests found no server (connection refused or reset): the
 * API went away or stopped accepting; the levels before it stand, and the phase says so.
 */
const noServer = (run: LoadRunMetrics) => run.requests > 0 && run.errors.refused + run.errors.reset >= run.requests / 2;

function targetGone(runs: readonly LoadRunMetrics[]): string | null {
  const dead = runs.find(noServer);
  if (!dead) return null;
  const step = dead.model === 'closed' ? `${dead.concurrency} users` : `${dead.targetRps} requests/s`;
  return `the API stopped answering during the load test: at ${step} ${dead.errors.refused + dead.errors.reset} of ${dead.requests} requests found no server (${dead.errors.refused} refused, ${dead.errors.reset} reset)`;
}
