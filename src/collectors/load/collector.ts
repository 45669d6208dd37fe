import type { Collector } from '../collector.js';
import { collectLoad } from './index.js';

/** Configured when api.baseUrl is set and the load test is asked for (load.enabled or --load). */
export const loadCollector: Collector<'load'> = {
  id: 'load',
  phase: 'api',
  component: 'api',
  label: 'Load test',
  exclusive: true,
  configured: (config) => config.api.baseUrl !== undefined && config.load.enabled === true,
  describeTarget: (config) => {
    const url = new URL(config.api.baseUrl as string);
    return `${url.origin}${url.pathname}`;
  },
  collect: ({ config, ports, signal, onProgress }) => collectLoad(config, { signal, http: ports.http, ...(onProgress ? { onProgress } : {}) }),
};
