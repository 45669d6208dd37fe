/** Building the requests of the API phase from the config, and following redirects within the origin. */
import type { Config } from '../../config/schema.js';
import { scrubSecrets, substituteVariables } from '../../config/env-template.js';
import type { RedirectInfo } from '../../contracts/api.js';
import type { HttpClient, HttpRequest, HttpResponse, HttpResult } from '../../ports/http.js';

export type ApiConfig = Config['api'];
export type EndpointConfig = ApiConfig['endpoints'][number];

/** What every step of the phase shares: the one client, the secrets to scrub, the login token. */
export interface ApiSession {
  client: HttpClient;
  api: ApiConfig;
  env: NodeJS.ProcessEnv;
  /** substituted ${VAR} values and the token: scrubbed from every string the artifact keeps */
  secrets: Set<string>;
  token: string | null;
  signal: AbortSignal;
}

/** What building a request needs from the session (no client): the load test builds its requests with it too. */
export type RequestContext = Pick<ApiSession, 'api' | 'env' | 'secrets' | 'token' | 'signal'>;

export const MAX_REDIRECTS = 10;

export function scrub(session: ApiSession, text: string): string {
  return scrubSecrets(text, session.secrets);
}

/** A JSON value is sent as JSON; a string as is. */
function encodeBody(body: unknown, contentType: 'json' | 'form'): { body: string; type: string } {
  if (contentType === 'form' && body && typeof body === 'object' && !Array.isArray(body)) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    return { body: form.toString(), type: 'application/x-www-form-urlencoded' };
  }
  if (typeof body === 'string') return { body, type: contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' };
  return { body: JSON.stringify(body), type: 'application/json' };
}

/**
 * A configured path (an endpoint's, the login's) as sent: under the path of api.baseUrl, so
 * `baseUrl: http://host/api/v1` with `path: /users` requests `/api/v1/users` in every phase.
 */
export function apiPath(api: ApiConfig, path: string): string {
  const basePath = api.baseUrl === undefined ? '' : new URL(api.baseUrl).pathname.replace(/\/+$/, '');
  return `${basePath}${path}`;
}

export function authHeader(session: RequestContext): Record<string, string> {
  const login = session.api.login;
  if (!login || session.token === null) return {};
  const scheme = login.tokenScheme.trim();
  return { [login.tokenHeader.toLowerCase()]: scheme === '' ? session.token : `${scheme} ${session.token}` };
}

export function endpointRequest(session: RequestContext, endpoint: EndpointConfig): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(substituteVariables(endpoint.headers, session.env, session.secrets))) {
    headers[name.toLowerCase()] = value;
  }
  let body: string | undefined;
  if (endpoint.body !== undefined) {
    const encoded = encodeBody(substituteVariables(endpoint.body, session.env, session.secrets), 'json');
    body = encoded.body;
    headers['content-type'] ??= encoded.type;
  }
  if (endpoint.auth) Object.assign(headers, authHeader(session));
  return {
    method: endpoint.method,
    path: apiPath(session.api, endpoint.path),
    headers,
    ...(body !== undefined ? { body } : {}),
    timeoutMs: session.api.timeoutSeconds * 1000,
    maxBodyBytes: session.api.maxBodyBytes,
    signal: session.signal,
  };
}

export function loginRequest(session: RequestContext): HttpRequest {
  const login = session.api.login!;
  const encoded = encodeBody(substituteVariables(login.body ?? {}, session.env, session.secrets), login.contentType);
  return {
    method: login.method,
    path: apiPath(session.api, login.path),
    headers: { 'content-type': encoded.type, accept: 'application/json' },
    body: encoded.body,
    timeoutMs: session.api.timeoutSeconds * 1000,
    maxBodyBytes: session.api.maxBodyBytes,
    signal: session.signal,
  };
}

export function isRedirect(result: HttpResult): result is HttpResponse {
  return result.ok && result.status >= 300 && result.status < 400 && typeof result.headers.location === 'string';
}

/**
 * Follows a redirect chain by hand (GET), within the origin only, up to MAX_REDIRECTS hops;
 * a URL seen twice is a loop. Never leaves the configured origin.
 */
export async function followRedirects(session: ApiSession, first: HttpResponse, path: string, headers: Record<string, string>): Promise<RedirectInfo> {
  const origin = session.client.origin;
  const visited = new Set<string>([new URL(path, origin).href]);
  const hops: RedirectInfo['hops'] = [];
  let current: HttpResult = first;
  let currentUrl = new URL(path, origin);
  while (isRedirect(current)) {
    const next = new URL(current.headers.location as string, currentUrl);
    const shown = next.origin === origin ? next.pathname + next.search : `${next.protocol}//${next.host}${next.pathname}`;
    hops.push({ status: current.status, location: scrub(session, shown) });
    if (next.origin !== origin) return { hops, loop: false, leftOrigin: true };
    if (visited.has(next.href) || hops.length >= MAX_REDIRECTS) return { hops, loop: true, leftOrigin: false };
    visited.add(next.href);
    currentUrl = next;
    current = await session.client.request({
      method: 'GET',
      path: next.pathname + next.search,
      headers,
      timeoutMs: session.api.timeoutSeconds * 1000,
      maxBodyBytes: session.api.maxBodyBytes,
      signal: session.signal,
    });
  }
  return { hops, loop: false, leftOrigin: false };
}
