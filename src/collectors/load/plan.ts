/**
 * What the load test sends: the requests of the mix, built from the configuration with the API
 * phase's own request builder (collectors/api/request.ts: `${VAR}` substitution, body encoding,
 * the token header). Only the origin of api.baseUrl is ever requested (each request is a path on
 * that origin; redirects are not followed).
 */
import type { Config } from '../../config/schema.js';
import { missingVariables } from '../../config/env-template.js';
import type { LoadRequest } from '../../load/engine.js';
import { endpointRequest, type RequestContext } from '../api/request.js';

export interface LoadPlan {
  origin: string;
  /** scheme://host:port/path of the base URL, without credentials or query */
  baseUrl: string;
  requests: Array<LoadRequest & { name: string }>;
  skipped: Array<{ name: string; reason: string }>;
}

/**
 * The login as the load test saw it: the token (sent on `auth: true` endpoints), or why there is
 * none (already scrubbed of secrets). Absent when no chosen endpoint needed it.
 */
export type LoadLogin = { token: string } | { problem: string };

type Endpoint = Config['api']['endpoints'][number];

const nameOf = (endpoint: Endpoint) => endpoint.name ?? `${endpoint.method} ${endpoint.path}`;

/** The endpoints the load test would send, and those left out by method, before any login. */
export function chooseEndpoints(config: Config): { chosen: Endpoint[]; skipped: LoadPlan['skipped'] } {
  const endpoints = config.api.endpoints;
  const skipped: LoadPlan['skipped'] = [];
  if (config.load.endpoints !== undefined) {
    const byName = new Map(endpoints.map((endpoint) => [nameOf(endpoint), endpoint]));
    const unknown = config.load.endpoints.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      const known = [...byName.keys()].map((name) => `"${name}"`).join(', ') || 'none';
      throw new Error(`load.endpoints names ${unknown.map((name) => `"${name}"`).join(', ')}, not among api.endpoints (names: ${known})`);
    }
    return { chosen: config.load.endpoints.map((name) => byName.get(name)!), skipped };
  }
  for (const endpoint of endpoints) {
    if (endpoint.method !== 'GET') skipped.push({ name: nameOf(endpoint), reason: `${endpoint.method}: only GET endpoints are loaded unless load.endpoints names them` });
  }
  return { chosen: endpoints.filter((endpoint) => endpoint.method === 'GET'), skipped };
}

/** True when a chosen endpoint needs the token and api.login is configured: the load test logs in once first. */
export function planNeedsLogin(config: Config): boolean {
  return config.api.login !== undefined && chooseEndpoints(config).chosen.some((endpoint) => endpoint.auth);
}

export function buildPlan(config: Config, env: NodeJS.ProcessEnv, login?: LoadLogin): LoadPlan {
  const base = new URL(config.api.baseUrl as string);
  const basePath = base.pathname.replace(/\/+$/, '');
  const baseUrl = `${base.origin}${basePath || '/'}`;
  const { chosen, skipped } = chooseEndpoints(config);
  const requests: LoadPlan['requests'] = [];
  const token = login && 'token' in login ? login.token : null;
  // the same builder as the API phase; substituted values land in `secrets` and are never kept
  const context: RequestContext = { api: config.api, env, secrets: new Set(), token, signal: new AbortController().signal };

  for (const endpoint of chosen) {
    const name = nameOf(endpoint);
    if (endpoint.auth && token === null) {
      const why =
        config.api.login === undefined
          ? 'needs the login token and api.login is not configured'
          : `needs the login token and the login gave none${login && 'problem' in login ? `: ${login.problem}` : ''}`;
      skipped.push({ name, reason: why });
      continue;
    }
    const missing = missingVariables({ headers: endpoint.headers, body: endpoint.body }, env);
    if (missing.length > 0) {
      skipped.push({ name, reason: `uses environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, not set` });
      continue;
    }
    const request = endpointRequest(context, endpoint);
    const expected = Array.isArray(endpoint.expectedStatus) ? endpoint.expectedStatus : [endpoint.expectedStatus];
    requests.push({
      name,
      method: request.method,
      path: request.path,
      headers: request.headers ?? {},
      ...(request.body !== undefined ? { body: request.body } : {}),
      expectedStatus: expected,
    });
  }

  if (config.api.endpoints.length === 0 && config.load.endpoints === undefined) {
    // nothing configured: the base URL itself
    requests.push({ name: `GET ${basePath || '/'}`, method: 'GET', path: basePath || '/', headers: {}, expectedStatus: [200] });
  }
  return { origin: base.origin, baseUrl, requests, skipped };
}
