import { existsSync } from 'node:fs';
import type Docker from 'dockerode';
import { lazyModule } from './lazy-module.js';
import { errorMessage } from '../shared/errors.js';

const loadDocker = lazyModule<typeof Docker>('dockerode');

/**
 * A Docker engine over its HTTP API (dockerode 5). Thin on purpose: the collector gets the
 * engine's JSON as it is (the few fields it reads are typed below) and does the arithmetic.
 */

/** Where the engine listens: a unix socket, or plain http over TCP. */
export type DockerEndpoint = { kind: 'socket'; socketPath: string } | { kind: 'tcp'; host: string; port: number; protocol: 'http' | 'https' };

/** The socket the Docker CLI and dockerode use when DOCKER_HOST is not set. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface RawVersion {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
}

export interface RawInfo {
  CgroupVersion?: string;
  NCPU?: number;
  MemTotal?: number;
}

export interface RawPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** One entry of GET /containers/json?all=1 */
export interface RawContainerSummary {
  Id: string;
  Names?: string[];
  Image?: string;
  Labels?: Record<string, string> | null;
  State?: string;
  Ports?: RawPort[] | null;
}

/** The fields of GET /containers/{id}/json the collector reads. */
export interface RawInspect {
  Id: string;
  Name?: string;
  RestartCount?: number;
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  State?: {
    Status?: string;
    Running?: boolean;
    Restarting?: boolean;
    OOMKilled?: boolean;
    ExitCode?: number;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number; Log?: Array<{ ExitCode?: number; Output?: string }> | null };
  };
  HostConfig?: {
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    CpusetCpus?: string;
    Memory?: number;
    PidsLimit?: number | null;
    RestartPolicy?: { Name?: string };
  };
}

interface RawCpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data?: { periods?: number; throttled_periods?: number; throttled_time?: number };
}

/** The fields of GET /containers/{id}/stats?stream=false&one-shot=true the collector reads (cgroup v1 and v2). */
export interface RawStats {
  read?: string;
  cpu_stats?: RawCpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
  pids_stats?: { current?: number; limit?: number };
}

export interface DockerEngine {
  version(): Promise<RawVersion>;
  info(): Promise<RawInfo>;
  ping(): Promise<void>;
  /** every container, whatever its state */
  listContainers(): Promise<RawContainerSummary[]>;
  inspect(id: string): Promise<RawInspect>;
  /**
   * One stats reading without the engine's own second sample (one-shot, API >= 1.41): the
   * collector takes its two samples across its window and computes the deltas itself.
   */
  stats(id: string): Promise<RawStats>;
}

export interface DockerPort {
  /** does the default socket exist (Docker "configured" by default) */
  defaultSocketExists(): boolean;
  connect(endpoint: DockerEndpoint, timeoutMs: number): DockerEngine;
}

/** "unix:///var/run/docker.sock", "tcp://127.0.0.1:2375": for messages and the report */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === 'socket' ? `unix://${endpoint.socketPath}` : `${endpoint.protocol === 'https' ? 'https' : 'tcp'}://${endpoint.host}:${endpoint.port}`;
}

/**
 * Turns the socket / HTTP errors a client sees into a sentence saying what is wrong and what
 * to do. Never quotes a URL with credentials (the endpoint carries none).
 */
export function explainDockerError(error: unknown, endpoint: DockerEndpoint): Error {
  const where = describeEndpoint(endpoint);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = errorMessage(error);
  switch (code) {
    case 'ENOENT':
      return new Error(`no Docker engine socket at ${where} (is Docker installed and running? set docker.host / --docker-host / DOCKER_HOST)`);
    case 'EACCES':
    case 'EPERM':
      return new Error(
        `permission denied on ${where}: run perf-analyze as root or as a member of the group that owns the socket (usually "docker")`,
      );
    case 'ECONNREFUSED':
      return new Error(`connection refused at ${where}: the Docker engine is not running (stale socket or nothing listening)`);
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return new Error(`the Docker engine at ${where} did not answer in time`);
    default: {
      const status = (error as { statusCode?: number } | undefined)?.statusCode;
      if (status !== undefined) return new Error(`the Docker engine at ${where} answered HTTP ${status}: ${firstLine(message)}`);
      if (/timeout/i.test(message)) return new Error(`the Docker engine at ${where} did not answer in time`);
      return new Error(`cannot talk to the Docker engine at ${where}: ${firstLine(message)}`);
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}

function engineOver(docker: Docker, endpoint: DockerEndpoint): DockerEngine {
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw explainDockerError(error, endpoint);
    }
  };
  return {
    version: () => call(() => docker.version() as Promise<RawVersion>),
    info: () => call(() => docker.info() as Promise<RawInfo>),
    ping: () => call(async () => void (await docker.ping())),
    listContainers: () => call(() => docker.listContainers({ all: true }) as unknown as Promise<RawContainerSummary[]>),
    inspect: (id) => call(() => docker.getContainer(id).inspect() as unknown as Promise<RawInspect>),
    stats: (id) =>
      call(() => docker.getContainer(id).stats({ stream: false, 'one-shot': true } as { stream: false }) as unknown as Promise<RawStats>),
  };
}

export const realDockerPort: DockerPort = {
  defaultSocketExists: () => existsSync(DEFAULT_DOCKER_SOCKET),
  connect(endpoint, timeoutMs) {
    const docker =
      endpoint.kind === 'socket'
        ? new (loadDocker())({ socketPath: endpoint.socketPath, timeout: timeoutMs })
        : new (loadDocker())({ host: endpoint.host, port: endpoint.port, protocol: endpoint.protocol, timeout: timeoutMs });
    return engineOver(docker, endpoint);
  },
};
