import type { Config } from '../../config/schema.js';
import type { ContainerMetrics, LatencyTarget } from '../../contracts/docker.js';
import { isLoopback } from './target.js';

/** A TCP endpoint to time connects to. */
export interface LatencyEndpoint {
  name: string;
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379, 'rediss:': 6379 };

/** host:port of a service URL; null when it has neither a host nor a known default port. */
export function endpointOfUrl(name: string, text: string): LatencyEndpoint | null {
  try {
    const url = new URL(text);
    const port = url.port !== '' ? Number(url.port) : DEFAULT_PORTS[url.protocol];
    if (url.hostname === '' || port === undefined) return null;
    return { name, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  } catch {
    return null;
  }
}

/**
 * The services the configuration names, by name: the API (`api`), PostgreSQL (`postgres` for
 * database.url, `postgres:<name>` for each of database.databases), PgBouncer (`pgbouncer`) and
 * Redis (`redis`). Only host and port are taken from the URLs (never a password). A host:port
 * named twice (two databases on one server) is timed once, under its first name.
 */
export function configuredServices(config: Config): LatencyEndpoint[] {
  const candidates: Array<[string, string | undefined]> = [
    ['api', config.api.baseUrl],
    ['postgres', config.database.url],
    ...config.database.databases.map((entry): [string, string] => [`postgres:${entry.name}`, entry.url]),
    ['pgbouncer', config.pgbouncer.url],
    ['redis', config.redis.url],
  ];
  const services: LatencyEndpoint[] = [];
  const seen = new Set<string>();
  for (const [name, url] of candidates) {
    const endpoint = url === undefined ? null : endpointOfUrl(name, url);
    if (!endpoint) continue;
    const key = `${endpoint.host}:${endpoint.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    services.push(endpoint);
  }
  return services;
}

/**
 * Each published TCP port of a running container, reached on loopback when it is bound to
 * every address or to a loopback one. Ports bound to another specific address are left out
 * (the profiler only opens connections to loopback and to configured services): `skipped`
 * names them.
 */
export function publishedEndpoints(
  containers: ReadonlyArray<Pick<ContainerMetrics, 'name' | 'state' | 'publishedPorts'>>,
): { endpoints: LatencyEndpoint[]; skipped: string[] } {
  const endpoints: LatencyEndpoint[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const container of containers) {
    if (container.state !== 'running') continue;
    for (const port of container.publishedPorts) {
      if (port.type !== 'tcp') continue;
      const host = port.ip === '0.0.0.0' || port.ip === '' ? '127.0.0.1' : port.ip === '::' ? '::1' : port.ip;
      const label = `container:${container.name} ${port.privatePort}/tcp`;
      if (!isLoopback(host)) {
        skipped.push(`${label} (bound to ${port.ip})`);
        continue;
      }
      const key = `${host}:${port.publicPort}`;
      if (seen.has(key)) continue; // the same port published on 0.0.0.0 and :: is one service
      seen.add(key);
      endpoints.push({ name: label, host, port: port.publicPort });
    }
  }
  return { endpoints, skipped };
}

/** Nearest-rank percentile of sorted values (the value at rank ceil(p x n)). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The latency record of one endpoint from its connect times (ms) and failures. */
export function latencyTarget(endpoint: LatencyEndpoint, timesMs: readonly number[], failures: number, lastError: string | null): LatencyTarget {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const max = sorted.length > 0 ? sorted[sorted.length - 1]! : null;
  return {
    name: endpoint.name,
    host: endpoint.host,
    port: endpoint.port,
    samples: timesMs.length + failures,
    failures,
    p50Ms: p50 === null ? null : round3(p50),
    p99Ms: p99 === null ? null : round3(p99),
    maxMs: max === null ? null : round3(max),
    error: failures > 0 ? lastError : null,
  };
}
