/**
 * What the load test sends: the requests of the mix, built from the configuration. Only the
 * origin of api.baseUrl is ever requested (each request is a path on that origin; redirects are
 * not followed).
 */
import type { Config } from '../../config/schema.js';
import type { LoadRequest } from '../../load/engine.js';

export interface LoadPlan {
  origin: string;
  /** scheme://host:port/path of the base URL, without credentials or query */
  baseUrl: string;
  requests: Array<LoadRequest & { name: string }>;
  skipped: Array<{ name: string; reason: string }>;
}

type Endpoint = Config['api']['endpoints'][number];

const nameOf = (endpoint: Endpoint) => endpoint.name ?? `${endpoint.method} ${endpoint.path}`;

/** `${VAR}` from the environment; the names of missing variables are returned, never any value. */
function expand(text: string, env: NodeJS.ProcessEnv, missing: Set<string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const value = env[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return value;
  });
}

function bodyText(body: unknown, env: NodeJS.ProcessEnv, missing: Set<string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return expand(text, env, missing);
}

export function buildPlan(config: Config, env: NodeJS.ProcessEnv): LoadPlan {
  const base = new URL(config.api.baseUrl as string);
  const basePath = base.pathname.replace(/\/+$/, '');
  const baseUrl = `${base.origin}${basePath || '/'}`;
  const skipped: LoadPlan['skipped'] = [];
  const requests: LoadPlan['requests'] = [];

  const endpoints = config.api.endpoints;
  let chosen: Endpoint[];
  if (config.load.endpoints !== undefined) {
    const byName = new Map(endpoints.map((endpoint) => [nameOf(endpoint), endpoint]));
    const unknown = config.load.endpoints.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      const known = [...byName.keys()].map((name) => `"${name}"`).join(', ') || 'none';
      throw new Error(`load.endpoints names ${unknown.map((name) => `"${name}"`).join(', ')}, not among api.endpoints (names: ${known})`);
    }
    chosen = config.load.endpoints.map((name) => byName.get(name)!);
  } else {
    chosen = endpoints.filter((endpoint) => endpoint.method === 'GET');
    for (const endpoint of endpoints) {
      if (endpoint.method !== 'GET') skipped.push({ name: nameOf(endpoint), reason: `${endpoint.method}: only GET endpoints are loaded unless load.endpoints names them` });
    }
  }

  for (const endpoint of chosen) {
    const name = nameOf(endpoint);
    if (endpoint.auth) {
      skipped.push({ name, reason: 'needs the login token: the load test sends no credentials' });
      continue;
    }
    const missing = new Set<string>();
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(endpoint.headers)) headers[key.toLowerCase()] = expand(value, env, missing);
    const body = bodyText(endpoint.body, env, missing);
    if (body !== undefined && headers['content-type'] === undefined && typeof endpoint.body !== 'string') headers['content-type'] = 'application/json';
    if (missing.size > 0) {
      skipped.push({ name, reason: `uses environment variable${missing.size > 1 ? 's' : ''} ${[...missing].join(', ')}, not set` });
      continue;
    }
    const expected = Array.isArray(endpoint.expectedStatus) ? endpoint.expectedStatus : [endpoint.expectedStatus];
    requests.push({
      name,
      method: endpoint.method,
      path: `${basePath}${endpoint.path}`,
      headers,
      ...(body !== undefined ? { body } : {}),
      expectedStatus: expected,
    });
  }

  if (endpoints.length === 0 && config.load.endpoints === undefined) {
    // nothing configured: the base URL itself
    requests.push({ name: `GET ${basePath || '/'}`, method: 'GET', path: basePath || '/', headers: {}, expectedStatus: [200] });
  }
  return { origin: base.origin, baseUrl, requests, skipped };
}
