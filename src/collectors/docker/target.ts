import type { Config } from '../../config/schema.js';
import { DEFAULT_DOCKER_SOCKET, type DockerEndpoint } from '../../ports/docker.js';

/**
 * Where the Docker engine is, from docker.host (set by the file, --docker-host or DOCKER_HOST),
 * else the default socket. Accepts what the Docker CLI accepts in DOCKER_HOST: a socket path,
 * unix://PATH, tcp://HOST:PORT (plain HTTP; port 2375 when absent), http:// and https:// URLs.
 */
export function dockerEndpoint(host: string | undefined): DockerEndpoint {
  if (host === undefined || host === '') return { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET };
  if (host.startsWith('/')) return { kind: 'socket', socketPath: host };
  const url = new URL(host);
  if (url.protocol === 'unix:') return { kind: 'socket', socketPath: decodeURIComponent(url.pathname) };
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port !== '' ? Number(url.port) : protocol === 'https' ? 2376 : 2375;
  // IPv6 literals come bracketed from URL; the socket API wants them bare
  return { kind: 'tcp', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, protocol };
}

/**
 * Whether the Docker phase runs: docker.enabled when given; otherwise when a host was given
 * (file, flag or DOCKER_HOST) or the default socket exists.
 */
export function dockerConfigured(config: Config, defaultSocketExists: () => boolean): boolean {
  if (config.docker.enabled !== undefined) return config.docker.enabled;
  return config.docker.host !== undefined || defaultSocketExists();
}

/** Why the phase is skipped, for the phase record. */
export function dockerSkipReason(config: Config): string {
  if (config.docker.enabled === false) return 'not configured: docker.enabled is false';
  return `not configured: no docker.host, --docker-host or DOCKER_HOST, and no engine socket at ${DEFAULT_DOCKER_SOCKET}`;
}

/** The engine is on this machine (a socket, or TCP to a loopback address): its published ports are reachable on loopback. */
export function engineIsLocal(endpoint: DockerEndpoint): boolean {
  return endpoint.kind === 'socket' || isLoopback(endpoint.host);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
