/**
 * The login flow (the specification's "login performance analysis"): login latency, the token
 * decoded without verification, the flow end to end, token validation cost, session reuse,
 * logins per second at a few concurrencies, and the password-hashing cost.
 */
import type { ApiErrorClass, EndpointMetrics, LoginMetrics, LoginThroughputLevel } from '../../contracts/api.js';
import type { HttpPort, HttpResult } from '../../ports/http.js';
import { analyseBcrypt } from './bcrypt.js';
import { endpointName, expectedStatuses } from './endpoints.js';
import { describeToken, tokenAt } from './jwt.js';
import { endpointRequest, loginRequest, scrub, type ApiSession, type EndpointConfig } from './request.js';
import { newHistogram, recordMs, round3, summarize } from './stats.js';
import { errorMessage } from '../../shared/errors.js';

const isSuccess = (status: number) => status >= 200 && status < 300;

/** Pulls the token out of a login response, or says why there is none (never quoting the body). */
function extractToken(result: HttpResult, tokenPath: string): { token: string } | { problem: string } {
  if (!result.ok) return { problem: result.message };
  if (!isSuccess(result.status)) return { problem: `login answered status ${result.status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.body.toString('utf8'));
  } catch {
    return { problem: `login answered status ${result.status} with a body that is not JSON (${result.bodyBytes} bytes)` };
  }
  const token = tokenAt(parsed, tokenPath);
  if (token === null) {
    const keys = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed).slice(0, 10) : [];
    return { problem: `no token at "${tokenPath}" in the login response (top-level keys: ${keys.length > 0 ? keys.join(', ') : 'none'})` };
  }
  return { token };
}

/**
 * One login through the session's client: the token (added to the session's secrets and set as
 * its token), or why there is none, scrubbed of every secret. The load test logs in with this.
 */
export async function loginOnce(session: ApiSession): Promise<{ token: string } | { problem: string }> {
  let request: ReturnType<typeof loginRequest>;
  try {
    request = loginRequest(session);
  } catch (error) {
    // an unset ${VAR}: the message names the variable, never a value
    return { problem: scrub(session, errorMessage(error)) };
  }
  const result = await session.client.request(request);
  const extracted = extractToken(result, session.api.login!.tokenPath);
  if ('problem' in extracted) return { problem: scrub(session, extracted.problem) };
  session.secrets.add(extracted.token);
  session.token = extracted.token;
  return extracted;
}

export function emptyLogin(session: ApiSession): LoginMetrics {
  const login = session.api.login!;
  return {
    method: login.method,
    path: login.path,
    requests: 0,
    latency: summarize(newHistogram()),
    statusCodes: {},
    errors: {},
    errorRatePercent: 0,
    tokenFound: false,
    tokenProblem: null,
    tokenPath: login.tokenPath,
    token: null,
    authEndToEnd: null,
    authenticatedEndpoint: null,
    validationCost: null,
    sessionReuse: null,
    throughput: [],
    bcrypt: null,
    lastError: null,
  };
}

/** Sequential logins, each followed by one request to the authenticated endpoint with the fresh token. */
export async function sampleLogins(session: ApiSession, authEndpoint: EndpointConfig | null, nowSeconds: () => number): Promise<LoginMetrics> {
  const metrics = emptyLogin(session);
  const login = session.api.login!;
  const request = loginRequest(session);
  const histogram = newHistogram();
  const endToEnd = newHistogram();
  const errors: Partial<Record<ApiErrorClass, number>> = {};
  let failures = 0;
  let consecutiveFailures = 0;
  metrics.authenticatedEndpoint = authEndpoint ? endpointName(authEndpoint) : null;

  for (let i = 0; i < login.samples && !session.signal.aborted && consecutiveFailures < 3; i++) {
    const result = await session.client.request(request);
    if (!result.ok && session.signal.aborted) break;
    metrics.requests += 1;
    if (!result.ok) {
      failures += 1;
      consecutiveFailures += 1;
      errors[result.errorClass] = (errors[result.errorClass] ?? 0) + 1;
      metrics.lastError = scrub(session, result.message);
      continue;
    }
    consecutiveFailures = 0;
    recordMs(histogram, result.timing.totalMs);
    metrics.statusCodes[String(result.status)] = (metrics.statusCodes[String(result.status)] ?? 0) + 1;
    if (result.status >= 500) failures += 1;
    const extracted = extractToken(result, login.tokenPath);
    if ('problem' in extracted) {
      metrics.tokenProblem = scrub(session, extracted.problem);
      continue;
    }
    session.secrets.add(extracted.token);
    if (session.token === null) {
      session.token = extracted.token;
      metrics.tokenFound = true;
      metrics.tokenProblem = null;
      metrics.token = describeToken(extracted.token, nowSeconds());
    }
    if (authEndpoint) {
      const previous = session.token;
      session.token = extracted.token;
      const authenticated = await session.client.request(endpointRequest(session, authEndpoint));
      session.token = previous;
      if (authenticated.ok && expectedStatuses(authEndpoint).includes(authenticated.status)) {
        recordMs(endToEnd, result.timing.totalMs + authenticated.timing.totalMs);
      }
    }
  }
  if (metrics.tokenFound) metrics.tokenProblem = null;
  metrics.latency = summarize(histogram);
  metrics.errors = errors;
  metrics.errorRatePercent = metrics.requests === 0 ? 0 : round3((failures / metrics.requests) * 100);
  metrics.authEndToEnd = endToEnd.count > 0 ? summarize(endToEnd) : null;
  return metrics;
}

/** The fastest unauthenticated endpoint that answered as expected: the baseline a login or a token check is compared with. */
export function baselineEndpoint(endpoints: readonly EndpointMetrics[]): EndpointMetrics | null {
  const candidates = endpoints.filter(
    (endpoint) => !endpoint.auth && endpoint.latency.p50Ms !== null && endpoint.unexpectedStatus === 0 && endpoint.requests > 0,
  );
  candidates.sort((a, b) => (a.latency.p50Ms ?? 0) - (b.latency.p50Ms ?? 0));
  return candidates[0] ?? null;
}

/** Validation cost, session reuse, logins per second and bcrypt, once the endpoints are timed. */
export async function analyseLogin(
  session: ApiSession,
  metrics: LoginMetrics,
  authEndpoint: EndpointConfig | null,
  endpoints: readonly EndpointMetrics[],
  http: HttpPort,
): Promise<void> {
  const baseline = baselineEndpoint(endpoints);
  const authenticated = authEndpoint ? endpoints.find((endpoint) => endpoint.name === endpointName(authEndpoint)) : undefined;
  if (authenticated?.latency.p50Ms != null && baseline?.latency.p50Ms != null && authenticated.unexpectedStatus === 0) {
    metrics.validationCost = {
      authenticatedP50Ms: authenticated.latency.p50Ms,
      unauthenticatedP50Ms: baseline.latency.p50Ms,
      unauthenticatedEndpoint: baseline.name,
      costMs: round3(authenticated.latency.p50Ms - baseline.latency.p50Ms),
    };
  }

  // session reuse: the same token, twice
  if (authEndpoint && session.token !== null && !session.signal.aborted) {
    const statuses: number[] = [];
    const latenciesMs: number[] = [];
    for (let i = 0; i < 2; i++) {
      const result = await session.client.request(endpointRequest(session, authEndpoint));
      statuses.push(result.ok ? result.status : 0);
      latenciesMs.push(round3(result.timing.totalMs));
    }
    const expected = expectedStatuses(authEndpoint);
    metrics.sessionReuse = { statuses, accepted: statuses.every((status) => expected.includes(status)), latenciesMs };
  }

  // logins per second at a few concurrencies: where does hashing saturate?
  if (metrics.tokenFound) {
    const login = session.api.login!;
    const throughput: LoginThroughputLevel[] = [];
    for (const concurrency of [...new Set(login.concurrency)].sort((a, b) => a - b)) {
      if (session.signal.aborted) break;
      throughput.push(await loginLevel(session, http, concurrency, login.loginsPerLevel));
    }
    metrics.throughput = throughput;
  }

  // password hashing: bcryptjs on this host against the login's server time
  if (metrics.latency.p50Ms !== null && !session.signal.aborted) {
    // the fastest login: contention on the host only ever adds time, hashing is the floor
    const serverLoginMs = Math.max(0, (metrics.latency.minMs ?? metrics.latency.p50Ms) - (baseline?.latency.p50Ms ?? 0));
    metrics.bcrypt = analyseBcrypt({
      configuredCost: session.api.login?.bcryptCost ?? null,
      serverLoginMs,
      loginP50Ms: metrics.latency.p50Ms,
      signal: session.signal,
    });
  }
}

async function loginLevel(session: ApiSession, http: HttpPort, concurrency: number, total: number): Promise<LoginThroughputLevel> {
  const client = http.client(session.client.origin, {
    insecure: session.api.insecure,
    connections: concurrency,
    connectTimeoutMs: session.api.timeoutSeconds * 1000,
  });
  const request = loginRequest(session);
  const histogram = newHistogram();
  let next = 0;
  let succeeded = 0;
  const started = Number(process.hrtime.bigint()) / 1e6;
  const worker = async () => {
    while (next < total && !session.signal.aborted) {
      next += 1;
      const result = await client.request(request);
      if (result.ok) recordMs(histogram, result.timing.totalMs);
      if (result.ok && isSuccess(result.status)) succeeded += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await client.close();
  }
  const durationMs = Number(process.hrtime.bigint()) / 1e6 - started;
  return {
    concurrency,
    logins: next,
    succeeded,
    durationMs: round3(durationMs),
    loginsPerSecond: durationMs > 0 ? round3((succeeded / durationMs) * 1000) : 0,
    latency: summarize(histogram),
  };
}
