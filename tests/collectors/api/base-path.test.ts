/** The path of api.baseUrl prefixes every configured path, in the API phase, the login, the load test and the diagnosis alike. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { apiPath, endpointRequest, loginRequest } from '../../../src/collectors/api/request.js';
import { buildPlan } from '../../../src/collectors/load/plan.js';
import { apiConfig, analyse } from './support.js';

const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('api.baseUrl with a path', () => {
  it('apiPath puts the base path (without its trailing slash) before the configured path', () => {
    expect(apiPath(apiConfig({ baseUrl: 'http://127.0.0.1:9/api/v1/' }).api, '/users')).toBe('/api/v1/users');
    expect(apiPath(apiConfig({ baseUrl: 'http://127.0.0.1:9' }).api, '/users')).toBe('/users');
  });

  it('the endpoint and login requests of every phase, and the load plan, use the same paths', () => {
    const config = apiConfig({
      baseUrl: 'http://127.0.0.1:9/api',
      endpoints: [{ path: '/health' }, { path: '/me', auth: true }],
      login: { path: '/login', body: { user: 'u' } },
    });
    const context = { api: config.api, env: {}, secrets: new Set<string>(), token: 't', signal: new AbortController().signal };
    expect(endpointRequest(context, config.api.endpoints[0]!).path).toBe('/api/health');
    expect(loginRequest(context).path).toBe('/api/login');
    expect(buildPlan(config, {}, { token: 't' }).requests.map((request) => request.path)).toEqual(['/api/health', '/api/me']);
  });

  it('the API phase requests the endpoints under the base path', async () => {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = req.url === '/api/health' ? 200 : 404;
      res.end('{}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const { metrics } = await analyse({ baseUrl: `http://127.0.0.1:${port}/api`, samples: 3, endpoints: [{ path: '/health' }] });
    expect(new Set(paths)).toEqual(new Set(['/api/health']));
    expect(metrics.endpoints[0]!.statusCodes).toEqual({ '200': expect.any(Number) });
  });
});
