import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { endpointClass, endpointLevels, endpointSubject, formatMs, measuredEndpoints } from '../lib/api-levels.js';

function whereToLook(phases: { ttfbMs: number | null; downloadMs: number | null; connectMs: number | null; tlsMs: number | null }, path: string): string {
  const ttfb = phases.ttfbMs ?? 0;
  const download = phases.downloadMs ?? 0;
  if (download > ttfb) {
    return `Most of the time is the download (median ${formatMs(download)}): shrink the response of ${path} (pagination, fewer fields, compression).`;
  }
  const kind = endpointClass(path);
  const hint =
    kind === 'login'
      ? 'password hashing (see the bcrypt cost in the login section) and the user lookup'
      : kind === 'profile'
        ? 'the cache hit rate of the profile cache and the user query (EXPLAIN ANALYZE it; an index on the lookup column)'
        : 'the queries it runs (pg_stat_statements, EXPLAIN ANALYZE), calls to other services and blocking work on the event loop';
  return `The server spends it before the first byte (median time to first byte ${formatMs(ttfb)}): profile the handler of ${path}: ${hint}.`;
}

export const rule = defineRule({
  id: 'api-endpoint-latency',
  component: 'api',
  category: 'api',
  description: 'Endpoint p95 against the API response-time thresholds by path (/health, login, profile, dashboard, other) or the endpoint\'s own.',
  requires: ['api'],
  check(context) {
    const endpoints = measuredEndpoints(context.data.api);
    if (endpoints === null) return NOT_APPLICABLE;
    for (const endpoint of endpoints) {
      const p95 = endpoint.latency.p95Ms;
      if (p95 === null) continue;
      const levels = endpointLevels(endpoint, context.thresholds);
      const severity = p95 > levels.critical ? 'critical' : p95 > levels.warning ? 'warning' : p95 > levels.target ? 'info' : null;
      if (!severity) continue;
      const threshold = severity === 'critical' ? levels.critical : severity === 'warning' ? levels.warning : levels.target;
      const name = `${endpoint.method} ${endpoint.path}`;
      context.report({
        severity,
        subject: endpointSubject(endpoint),
        title: severity === 'info' ? `${name} slower than its target` : `${name} slow`,
        message:
          `${name} answered with p95 ${formatMs(p95)} (p50 ${formatMs(endpoint.latency.p50Ms ?? 0)}, p99 ${formatMs(endpoint.latency.p99Ms ?? 0)}, ` +
          `max ${formatMs(endpoint.latency.maxMs ?? 0)}; ${endpoint.latency.samples} sequential samples), above ${formatMs(threshold)} ` +
          `(${severity === 'info' ? 'target' : severity} level of ${levels.source}).`,
        evidence: { metric: `api.endpoints[${endpoint.name}].latency.p95Ms`, value: p95, unit: 'ms', threshold },
        recommendation: whereToLook(endpoint.phases, endpoint.path),
      });
    }
  },
});
