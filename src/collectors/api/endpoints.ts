/** Endpoint timings: warm-up, then N sequential samples recorded in an HDR histogram. */
import type { ApiErrorClass, EndpointMetrics } from '../../contracts/api.js';
import type { HttpResult } from '../../ports/http.js';
import { endpointRequest, followRedirects, isRedirect, scrub, type ApiSession, type EndpointConfig } from './request.js';
import { median, newHistogram, recordMs, round3, summarize } from './stats.js';

/** Failures in a row after which an endpoint is not sampled further (each would only repeat it, or wait a full timeout). */
export const CONSECUTIVE_FAILURE_LIMIT = 3;

export function endpointName(endpoint: EndpointConfig): string {
  return endpoint.name ?? `${endpoint.method} ${endpoint.path}`;
}

export function expectedStatuses(endpoint: EndpointConfig): number[] {
  return Array.isArray(endpoint.expectedStatus) ? endpoint.expectedStatus : [endpoint.expectedStatus];
}

/** An endpoint that could not be timed, with the reason. */
export function skippedEndpoint(session: ApiSession, endpoint: EndpointConfig, reason: string): EndpointMetrics {
  const metrics = emptyMetrics(session, endpoint);
  metrics.skipped = reason;
  return metrics;
}

function emptyMetrics(session: ApiSession, endpoint: EndpointConfig): EndpointMetrics {
  return {
    name: endpointName(endpoint),
    method: endpoint.method,
    path: endpoint.path,
    auth: endpoint.auth,
    samplesRequested: session.api.samples,
    warmup: session.api.warmup,
    requests: 0,
    latency: summarize(newHistogram()),
    phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, downloadMs: null, newConnections: 0 },
    statusCodes: {},
    expectedStatus: expectedStatuses(endpoint),
    unexpectedStatus: 0,
    serverErrors: 0,
    errors: {},
    errorRatePercent: 0,
    bodyBytes: { min: null, median: null, max: null },
    bodyCapHits: 0,
    maxBodyBytes: session.api.maxBodyBytes,
    redirect: null,
    ...(endpoint.thresholds ? { thresholds: { ...endpoint.thresholds } } : {}),
    lastError: null,
    skipped: null,
  };
}

export async function timeEndpoint(session: ApiSession, endpoint: EndpointConfig): Promise<EndpointMetrics> {
  const metrics = emptyMetrics(session, endpoint);
  const request = endpointRequest(session, endpoint);
  const expected = new Set(metrics.expectedStatus);

  let consecutiveFailures = 0;
  for (let i = 0; i < session.api.warmup && !session.signal.aborted; i++) {
    const result = await session.client.request(request);
    consecutiveFailures = result.ok ? 0 : consecutiveFailures + 1;
    if (consecutiveFailures >= CONSECUTIVE_FAILURE_LIMIT) break;
  }

  const histogram = newHistogram();
  const phases = { dns: [] as number[], connect: [] as number[], tls: [] as number[], ttfb: [] as number[], download: [] as number[] };
  const bodies: number[] = [];
  const errors: Partial<Record<ApiErrorClass, number>> = {};
  let failures = 0;
  consecutiveFailures = 0;
  for (let i = 0; i < session.api.samples && !session.signal.aborted; i++) {
    if (consecutiveFailures >= CONSECUTIVE_FAILURE_LIMIT) break;
    const result: HttpResult = await session.client.request(request);
    metrics.requests += 1;
    if (!result.ok) {
      if (session.signal.aborted) {
        metrics.requests -= 1;
        break;
      }
      failures += 1;
      consecutiveFailures += 1;
      errors[result.errorClass] = (errors[result.errorClass] ?? 0) + 1;
      metrics.lastError = scrub(session, result.message);
      continue;
    }
    consecutiveFailures = 0;
    recordMs(histogram, result.timing.totalMs);
    const status = String(result.status);
    metrics.statusCodes[status] = (metrics.statusCodes[status] ?? 0) + 1;
    if (!expected.has(result.status)) metrics.unexpectedStatus += 1;
    if (result.status >= 500 && !expected.has(result.status)) metrics.serverErrors += 1;
    bodies.push(result.bodyBytes);
    if (result.truncated) metrics.bodyCapHits += 1;
    if (!result.timing.reusedConnection) metrics.phases.newConnections += 1;
    phases.dns.push(result.timing.dnsMs);
    phases.connect.push(result.timing.connectMs);
    phases.tls.push(result.timing.tlsMs);
    phases.ttfb.push(result.timing.ttfbMs);
    phases.download.push(result.timing.downloadMs);
    if (metrics.redirect === null && !expected.has(result.status) && isRedirect(result)) {
      metrics.redirect = await followRedirects(session, result, request.path, request.headers ?? {});
    }
  }

  metrics.latency = summarize(histogram);
  const med = (values: number[]) => {
    const value = median(values);
    return value === null ? null : round3(value);
  };
  metrics.phases = {
    dnsMs: med(phases.dns),
    connectMs: med(phases.connect),
    tlsMs: med(phases.tls),
    ttfbMs: med(phases.ttfb),
    downloadMs: med(phases.download),
    newConnections: metrics.phases.newConnections,
  };
  metrics.errors = errors;
  metrics.errorRatePercent = metrics.requests === 0 ? 0 : round3(((failures + metrics.serverErrors) / metrics.requests) * 100);
  metrics.bodyBytes = {
    min: bodies.length === 0 ? null : Math.min(...bodies),
    median: median(bodies),
    max: bodies.length === 0 ? null : Math.max(...bodies),
  };
  if (metrics.unexpectedStatus > 0 && metrics.lastError === null) {
    const unexpected = Object.keys(metrics.statusCodes).filter((code) => !expected.has(Number(code)));
    metrics.lastError = `unexpected status ${unexpected.join(', ')} (expected ${metrics.expectedStatus.join(' or ')})`;
  }
  return metrics;
}
