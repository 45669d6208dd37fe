import { apiPath } from './request.js';
import type { Collector } from '../collector.js';
import { redactUrlCredentials } from '../../config/errors.js';
import { collectApi } from './index.js';

/** The HTTP API: configured when api.baseUrl (--api-url, PERF_API_URL) is set. */
export const apiCollector: Collector<'api'> = {
  id: 'api',
  phase: 'api',
  component: 'api',
  label: 'HTTP API',
  configured: (config) => config.api.baseUrl !== undefined,
  describeTarget: (config) => {
    const url = new URL(config.api.baseUrl!);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return redactUrlCredentials(url.href);
  },
  probe: async ({ config, ports, signal }) => {
    const api = config.api;
    const client = ports.http.client(api.baseUrl!, { insecure: api.insecure, connections: 1, connectTimeoutMs: api.timeoutSeconds * 1000 });
    try {
      const result = await client.request({ method: 'GET', path: apiPath(api, '/'), timeoutMs: api.timeoutSeconds * 1000, maxBodyBytes: 64 * 1024, signal });
      if (!result.ok) throw new Error(result.message);
      return `${client.origin} answered HTTP ${result.status} in ${result.timing.totalMs.toFixed(1)} ms`;
    } finally {
      await client.close();
    }
  },
  collect: ({ config, ports, signal }) => collectApi({ config, http: ports.http, clock: ports.clock, env: process.env, signal }),
};
