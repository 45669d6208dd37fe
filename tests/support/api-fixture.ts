/** Hand-built API facts for rule, scoring and schema tests: a healthy API with a JWT login. */
import type { ApiMetrics, EndpointMetrics, LatencySummary } from '../../src/contracts/api.js';
import type { Artifacts } from '../../src/contracts/artifact.js';

export function latency(p50: number, p95 = p50 * 1.2, samples = 20): LatencySummary {
  return { samples, unit: 'ms', minMs: p50 * 0.8, p50Ms: p50, p95Ms: p95, p99Ms: p95 * 1.1, maxMs: p95 * 1.2 };
}

export function endpoint(method: string, path: string, p50: number, overrides: Partial<EndpointMetrics> = {}): EndpointMetrics {
  return {
    name: `${method} ${path}`,
    method,
    path,
    auth: false,
    samplesRequested: 20,
    warmup: 3,
    requests: 20,
    latency: latency(p50),
    phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: p50 * 0.9, downloadMs: p50 * 0.1, newConnections: 0 },
    statusCodes: { '200': 20 },
    expectedStatus: [200],
    unexpectedStatus: 0,
    serverErrors: 0,
    errors: {},
    errorRatePercent: 0,
    bodyBytes: { min: 120, median: 120, max: 120 },
    bodyCapHits: 0,
    maxBodyBytes: 10 * 1024 * 1024,
    redirect: null,
    lastError: null,
    skipped: null,
    ...overrides,
  };
}

export function healthyApi(mutate?: (api: ApiMetrics) => void): ApiMetrics {
  const api: ApiMetrics = {
    origin: 'http://127.0.0.1:8000',
    reachable: true,
    unreachable: null,
    insecure: false,
    timeoutMs: 10_000,
    defaultEndpoints: false,
    endpoints: [
      endpoint('GET', '/health', 1.2),
      endpoint('GET', '/api/v1/user/profile', 4.5, { auth: true, bodyBytes: { min: 420, median: 420, max: 420 } }),
      endpoint('GET', '/api/v1/performance/health', 2.1, { thresholds: { warningMs: 300, criticalMs: 1000 } }),
    ],
    login: {
      method: 'POST',
      path: '/api/v1/auth/jwt/login',
      requests: 10,
      latency: latency(95, 110, 10),
      statusCodes: { '200': 10 },
      errors: {},
      errorRatePercent: 0,
      tokenFound: true,
      tokenProblem: null,
      tokenPath: 'access_token',
      token: { format: 'jwt', sizeBytes: 259, alg: 'HS256', lifetimeSeconds: 3600, claims: ['exp', 'iat', 'jti', 'sub'] },
      authEndToEnd: latency(100, 120, 10),
      authenticatedEndpoint: 'GET /api/v1/user/profile',
      validationCost: { authenticatedP50Ms: 4.5, unauthenticatedP50Ms: 1.2, unauthenticatedEndpoint: 'GET /health', costMs: 3.3 },
      sessionReuse: { statuses: [200, 200], accepted: true, latenciesMs: [4.6, 4.4] },
      throughput: [
        { concurrency: 1, logins: 8, succeeded: 8, durationMs: 780, loginsPerSecond: 10.3, latency: latency(95, 110, 8) },
        { concurrency: 2, logins: 8, succeeded: 8, durationMs: 760, loginsPerSecond: 10.5, latency: latency(190, 200, 8) },
      ],
      bcrypt: {
        configuredCost: null,
        local: [
          { cost: 10, ms: 40 },
          { cost: 11, ms: 80 },
          { cost: 12, ms: 160 },
        ],
        serverLoginMs: 80,
        consistentCost: 11,
        hashSharePercent: 42,
        basis: "cost 11 is the bcryptjs cost whose hash time on this host is nearest the login's server time",
      },
      lastError: null,
    },
  };
  mutate?.(api);
  return api;
}

export function apiArtifacts(api: ApiMetrics): Artifacts {
  return { api: { status: 'ok', durationMs: 1500, data: api } };
}
