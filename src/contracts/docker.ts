import type { Metric } from './metric.js';

/**
 * Facts the docker collector gathers from a Docker engine: every selected container over
 * two samples `windowMs` apart, grouped by compose service, and the TCP connect latency
 * from the profiler to each service it can reach.
 */
export interface DockerMetrics {
  engine: DockerEngineFacts;
  /** between the two samples (the containers' own stats reads may differ by a few ms: each rate says its window) */
  windowMs: number;
  /** every container on the engine by state ("running", "exited", "restarting", ...), before the filters */
  containersByState: Record<string, number>;
  /** containers the include / exclude filters left out */
  filteredOut: number;
  containers: ContainerMetrics[];
  /** the containers grouped by compose project and service (a container without compose labels is its own group) */
  services: ServiceGroup[];
  latency: LatencyTarget[];
  /** a container that exited within this many seconds counts as recently exited (docker.recentExitHours) */
  recentExitSeconds: number;
  /** what could not be measured and why */
  notes: string[];
}

export interface DockerEngineFacts {
  /** where the engine was reached (unix socket path or tcp URL, credentials redacted) */
  host: string;
  version: string;
  apiVersion: string;
  os: string;
  /** "1" or "2"; null when the engine does not say */
  cgroupVersion: string | null;
  cpus: number | null;
  memoryBytes: number | null;
}

export interface ContainerMetrics {
  /** the first 12 characters of the id, as `docker ps` shows it */
  id: string;
  name: string;
  image: string;
  /** com.docker.compose.project / com.docker.compose.service labels */
  project: string | null;
  service: string | null;
  /** at the end of the window: running, exited, restarting, paused, created, dead */
  state: string;
  health: ContainerHealth | null;
  restarts: ContainerRestarts;
  /** State.OOMKilled: the last run ended because the kernel killed it for exceeding its memory limit */
  oomKilled: boolean;
  /** exit code of a container that is not running (null while it runs) */
  exitCode: number | null;
  /** seconds since it exited (null while it runs or when the engine gives no time) */
  exitedSecondsAgo: number | null;
  cpu: ContainerCpu;
  memory: ContainerMemory;
  network: { rxBytesPerSec: Metric; txBytesPerSec: Metric };
  blockIo: { readBytesPerSec: Metric; writeBytesPerSec: Metric };
  pids: { current: Metric; limit: number | null; percentOfLimit: Metric };
  publishedPorts: PublishedPort[];
}

export interface ContainerHealth {
  /** healthy, unhealthy, starting */
  status: string;
  failingStreak: number;
  /** output of the last health check, trimmed */
  lastOutput: string | null;
  lastExitCode: number | null;
}

export interface ContainerRestarts {
  /** RestartCount: restarts by the restart policy since the container was created */
  count: number;
  /** how much RestartCount rose between the two samples */
  duringWindow: number;
  /** the engine showed it "restarting" (waiting to restart after an exit) at either sample */
  restartingSeen: boolean;
  /** restart policy: no, always, on-failure, unless-stopped */
  policy: string;
}

export interface ContainerCpu {
  /** as `docker stats` computes it: 100 % = one core */
  percent: Metric;
  /** the CPU limit in cores (--cpus, CPU quota or cpuset); null when unlimited */
  limitCores: number | null;
  /** percent / (limitCores x 100); null when unlimited */
  percentOfLimit: Metric;
  /** throttled periods / periods over the window; null without a CPU quota */
  throttledPercent: Metric;
  /** time the container was held back by its quota, per second of window */
  throttledSecondsPerSec: Metric;
}

export interface ContainerMemory {
  /** usage minus inactive file pages (cgroup v2 inactive_file, v1 total_inactive_file): what `docker stats` shows */
  workingSetBytes: Metric;
  usageBytes: Metric;
  /** --memory; null when unlimited */
  limitBytes: number | null;
  /** workingSetBytes / limitBytes; null when unlimited */
  percentOfLimit: Metric;
}

export interface PublishedPort {
  /** host address the port is bound to ("0.0.0.0", "127.0.0.1", "::") */
  ip: string;
  publicPort: number;
  privatePort: number;
  type: string;
}

export interface ServiceGroup {
  project: string | null;
  /** compose service, or the container name for a container outside compose */
  service: string;
  containers: number;
  running: number;
  /** sum over its containers, 100 % = one core; null when none was measured */
  cpuPercent: number | null;
  memoryWorkingSetBytes: number | null;
  /** sum of the limits; null when any container of the group is unlimited */
  memoryLimitBytes: number | null;
  restarts: number;
  unhealthy: number;
}

export interface LatencyTarget {
  /** what it is: "api", or "container:web 80/tcp" */
  name: string;
  host: string;
  port: number;
  /** connections attempted */
  samples: number;
  failures: number;
  /** TCP connect time, nearest-rank percentiles over the successful samples */
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** the last connection error, when any failed */
  error: string | null;
}
