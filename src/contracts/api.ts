/**
 * Facts the API collector gathers: endpoint timings and the login flow (issue 4).
 * Latencies are recorded in an HDR histogram in microseconds and reported in milliseconds
 * with microsecond resolution (3 decimals). Percentiles are never averaged.
 */

export type ApiErrorClass = 'refused' | 'dns' | 'timeout' | 'reset' | 'tls' | 'protocol' | 'other';

export interface LatencySummary {
  /** requests behind the percentiles (those that got a response) */
  samples: number;
  unit: 'ms';
  minMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** The median of each timing phase over the samples (ms); connection phases are 0 on a reused connection. */
export interface PhaseMedians {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
  downloadMs: number | null;
  /** samples that opened a new connection (the others reused a kept-alive one) */
  newConnections: number;
}

export interface RedirectInfo {
  /** the status and Location of each hop, in order (Location as a path, never with credentials) */
  hops: Array<{ status: number; location: string }>;
  /** the chain came back to a URL it had already visited, or exceeded the hop limit */
  loop: boolean;
  /** the chain left the configured origin: not followed */
  leftOrigin: boolean;
}

export interface EndpointMetrics {
  /** "GET /api/v1/user/profile" or the configured name */
  name: string;
  method: string;
  path: string;
  /** sent with the login token */
  auth: boolean;
  /** requested samples and warm-up requests */
  samplesRequested: number;
  warmup: number;
  /** every timed request, including failed ones */
  requests: number;
  latency: LatencySummary;
  phases: PhaseMedians;
  /** responses by status code, e.g. { "200": 19, "500": 1 } */
  statusCodes: Record<string, number>;
  expectedStatus: number[];
  /** responses with a status outside expectedStatus */
  unexpectedStatus: number;
  /** requests that got no response, by class */
  errors: Partial<Record<ApiErrorClass, number>>;
  /** responses with a 5xx status */
  serverErrors: number;
  /** (5xx responses + requests with no response) / requests, %: the complement of the success rate */
  errorRatePercent: number;
  bodyBytes: { min: number | null; median: number | null; max: number | null };
  /** responses cut off at api.maxBodyBytes */
  bodyCapHits: number;
  maxBodyBytes: number;
  /** when the endpoint answered with a redirect: the chain, followed within the origin */
  redirect: RedirectInfo | null;
  /** per-endpoint threshold overrides from the config; absent: defaults by path (rules) */
  thresholds?: { warningMs?: number; criticalMs?: number };
  /** the last failure, secrets scrubbed */
  lastError: string | null;
  /** why it was not measured (e.g. it needs the login token and the login failed) */
  skipped: string | null;
}

export interface TokenInfo {
  format: 'jwt' | 'opaque';
  sizeBytes: number;
  /** JWT header alg, e.g. HS256 */
  alg: string | null;
  /** exp - iat (or exp - the time of login when iat is absent), s; null without exp */
  lifetimeSeconds: number | null;
  /** names of the claims (never their values) */
  claims: string[];
}

export interface LoginThroughputLevel {
  concurrency: number;
  logins: number;
  succeeded: number;
  durationMs: number;
  loginsPerSecond: number;
  latency: LatencySummary;
}

export interface BcryptTiming {
  cost: number;
  /** one bcryptjs hash on this host, ms */
  ms: number;
}

export interface BcryptAnalysis {
  /** api.login.bcryptCost, when the config gives it */
  configuredCost: number | null;
  /** bcryptjs (pure JavaScript) on this host; native bcrypt is faster, so a server may run one cost higher */
  local: BcryptTiming[];
  /** the server-side login time compared: the fastest login minus the unauthenticated baseline p50, ms */
  serverLoginMs: number | null;
  /** the cost whose local hash time is nearest (on a log scale) to serverLoginMs */
  consistentCost: number | null;
  /** hash time of the configured (or consistent) cost as % of the login p50 */
  hashSharePercent: number | null;
  basis: string;
}

export interface LoginMetrics {
  method: string;
  path: string;
  requests: number;
  latency: LatencySummary;
  statusCodes: Record<string, number>;
  errors: Partial<Record<ApiErrorClass, number>>;
  errorRatePercent: number;
  /** a token was found at api.login.tokenPath in a successful response */
  tokenFound: boolean;
  /** why no token: the status, a non-JSON body, nothing at the path */
  tokenProblem: string | null;
  tokenPath: string;
  token: TokenInfo | null;
  /** login then the first authenticated request with the fresh token, ms */
  authEndToEnd: LatencySummary | null;
  /** the authenticated endpoint used for the end-to-end flow, validation cost and session reuse */
  authenticatedEndpoint: string | null;
  /** authenticated p50 minus a comparable unauthenticated p50 (ms): what checking the token costs */
  validationCost: { authenticatedP50Ms: number; unauthenticatedP50Ms: number; unauthenticatedEndpoint: string; costMs: number } | null;
  /** the same token sent twice: both accepted? */
  sessionReuse: { statuses: number[]; accepted: boolean; latenciesMs: number[] } | null;
  throughput: LoginThroughputLevel[];
  bcrypt: BcryptAnalysis | null;
  lastError: string | null;
}

export interface ApiMetrics {
  /** scheme, host and port only: the only origin requested */
  origin: string;
  reachable: boolean;
  /** when not reachable: how it failed */
  unreachable: { errorClass: ApiErrorClass; code: string; message: string } | null;
  insecure: boolean;
  timeoutMs: number;
  endpoints: EndpointMetrics[];
  login: LoginMetrics | null;
  /** the endpoints were the default (GET /health) because api.endpoints was empty */
  defaultEndpoints: boolean;
}
