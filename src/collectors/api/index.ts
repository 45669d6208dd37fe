/**
 * The API phase: reachability, the login flow, then endpoint timings (sequential, one kept-alive
 * connection, only the configured origin), then what needs both (validation cost, session reuse,
 * logins per second, password hashing).
 */
import type { CollectorResult } from '../../contracts/collector.js';
import type { ApiMetrics, EndpointMetrics } from '../../contracts/api.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../ports/clock.js';
import type { HttpPort } from '../../ports/http.js';
import { originOf } from '../../ports/http.js';
import { skippedEndpoint, timeEndpoint } from './endpoints.js';
import { analyseLogin, sampleLogins } from './login.js';
import { apiPath, scrub, type ApiSession, type EndpointConfig } from './request.js';

/** When api.endpoints is empty: GET /health (the specification's health endpoint). */
export const DEFAULT_ENDPOINTS: EndpointConfig[] = [{ method: 'GET', path: '/health', headers: {}, expectedStatus: 200, auth: false }];

export interface ApiCollectorInput {
  config: Config;
  http: HttpPort;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export async function collectApi(input: ApiCollectorInput): Promise<CollectorResult<ApiMetrics>> {
  const api = input.config.api;
  if (api.baseUrl === undefined) throw new Error('api.baseUrl is not set');
  const origin = originOf(api.baseUrl);
  const client = input.http.client(origin, { insecure: api.insecure, connections: 1, connectTimeoutMs: api.timeoutSeconds * 1000 });
  const session: ApiSession = { client, api, env: input.env, secrets: new Set(), token: null, signal: input.signal };
  const defaultEndpoints = api.endpoints.length === 0;
  const endpoints = defaultEndpoints ? DEFAULT_ENDPOINTS : api.endpoints;
  const metrics: ApiMetrics = {
    origin,
    reachable: true,
    unreachable: null,
    insecure: api.insecure,
    timeoutMs: api.timeoutSeconds * 1000,
    endpoints: [],
    login: null,
    defaultEndpoints,
  };

  try {
    // reachability: any HTTP answer to the first endpoint counts; no answer at all is a finding
    const first = endpoints[0]!;
    const probe = await client.request({
      method: 'GET',
      path: apiPath(api, first.path),
      timeoutMs: api.timeoutSeconds * 1000,
      maxBodyBytes: api.maxBodyBytes,
      signal: input.signal,
    });
    if (!probe.ok) {
      if (input.signal.aborted) return { data: metrics, partial: 'interrupted before the first request' };
      metrics.reachable = false;
      metrics.unreachable = { errorClass: probe.errorClass, code: probe.code, message: scrub(session, probe.message) };
      return { data: metrics, failed: `the API at ${origin} could not be reached (${metrics.unreachable.message}): no endpoint or login measured` };
    }

    const authEndpoint = endpoints.find((endpoint) => endpoint.auth && endpoint.method === 'GET') ?? endpoints.find((endpoint) => endpoint.auth) ?? null;
    if (api.login) metrics.login = await sampleLogins(session, authEndpoint, () => input.clock.now().getTime() / 1000);

    const timed: EndpointMetrics[] = [];
    for (const endpoint of endpoints) {
      if (input.signal.aborted) break;
      if (endpoint.auth && session.token === null) {
        const why = api.login ? 'the login gave no token' : 'it needs the login token and api.login is not configured';
        timed.push(skippedEndpoint(session, endpoint, `not timed: ${why}`));
        continue;
      }
      timed.push(await timeEndpoint(session, endpoint));
    }
    metrics.endpoints = timed;

    if (metrics.login) await analyseLogin(session, metrics.login, authEndpoint, timed, input.http);
  } finally {
    await client.close();
  }
  return input.signal.aborted ? { data: metrics, partial: 'interrupted: fewer samples than configured' } : { data: metrics };
}
