import { delta, gauge, type Metric } from '../../contracts/metric.js';
import type { ContainerCpu, ContainerMemory, ContainerMetrics, PublishedPort } from '../../contracts/docker.js';
import type { RawInspect, RawPort, RawStats } from '../../ports/docker.js';

/**
 * Pure arithmetic over two readings of one container, the way `docker stats` does it
 * (docker/cli cli/command/container/stats_helpers.go), but across our own window.
 */

/** One reading of a container: inspect always, stats only while it ran. */
export interface ContainerReading {
  /** local monotonic ms when the reading was taken */
  atMs: number;
  inspect: RawInspect;
  stats: RawStats | null;
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return rounded === 0 ? 0 : rounded;
};
const finite = (value: number | undefined | null): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The window between two stats readings: the engine's own `read` timestamps when both are
 * there (they are when the engine read the cgroup), else the local clock.
 */
export function statsWindowMs(first: ContainerReading, second: ContainerReading): number {
  const before = Date.parse(first.stats?.read ?? '');
  const after = Date.parse(second.stats?.read ?? '');
  if (Number.isFinite(before) && Number.isFinite(after) && after > before && before > 0) return after - before;
  return Math.max(0, second.atMs - first.atMs);
}

/**
 * CPU % as `docker stats` computes it: delta container usage / delta system usage x online
 * CPUs x 100, so 100 % = one core. Null when a counter is missing or did not move.
 */
export function cpuPercent(first: RawStats, second: RawStats): number | null {
  const usageBefore = first.cpu_stats?.cpu_usage?.total_usage;
  const usageAfter = second.cpu_stats?.cpu_usage?.total_usage;
  const systemBefore = first.cpu_stats?.system_cpu_usage;
  const systemAfter = second.cpu_stats?.system_cpu_usage;
  if (!finite(usageBefore) || !finite(usageAfter) || !finite(systemBefore) || !finite(systemAfter)) return null;
  const systemDelta = systemAfter - systemBefore;
  const usageDelta = usageAfter - usageBefore;
  // a counter going back means the container restarted between the readings
  if (systemDelta <= 0 || usageDelta < 0) return null;
  const online = onlineCpus(second);
  if (online === null) return null;
  return (usageDelta / systemDelta) * online * 100;
}

export function onlineCpus(stats: RawStats): number | null {
  const online = stats.cpu_stats?.online_cpus;
  if (finite(online) && online > 0) return online;
  const perCpu = stats.cpu_stats?.cpu_usage?.percpu_usage;
  return perCpu && perCpu.length > 0 ? perCpu.length : null;
}

/** "0-3,6" -> 5 */
export function cpusetCount(cpuset: string | undefined): number | null {
  if (!cpuset || cpuset.trim() === '') return null;
  let count = 0;
  for (const part of cpuset.split(',')) {
    const [low, high] = part.trim().split('-').map(Number);
    if (!finite(low)) return null;
    count += high === undefined ? 1 : finite(high) && high >= low ? high - low + 1 : 0;
  }
  return count > 0 ? count : null;
}

/** The CPU limit in cores: --cpus (NanoCpus), a CFS quota, or a cpuset; the tightest of them. Null when unlimited. */
export function cpuLimitCores(hostConfig: RawInspect['HostConfig']): number | null {
  const limits: number[] = [];
  if (finite(hostConfig?.NanoCpus) && hostConfig.NanoCpus > 0) limits.push(hostConfig.NanoCpus / 1e9);
  if (finite(hostConfig?.CpuQuota) && hostConfig.CpuQuota > 0) {
    const period = finite(hostConfig.CpuPeriod) && hostConfig.CpuPeriod > 0 ? hostConfig.CpuPeriod : 100_000;
    limits.push(hostConfig.CpuQuota / period);
  }
  const cpuset = cpusetCount(hostConfig?.CpusetCpus);
  if (cpuset !== null) limits.push(cpuset);
  return limits.length === 0 ? null : Math.min(...limits);
}

/** Throttled periods / periods, and throttled time per second, over the window; null without a quota (no periods). */
export function throttling(first: RawStats, second: RawStats, windowMs: number): { percent: number | null; secondsPerSec: number | null } {
  const a = first.cpu_stats?.throttling_data;
  const b = second.cpu_stats?.throttling_data;
  if (!finite(a?.periods) || !finite(b?.periods) || !finite(a?.throttled_periods) || !finite(b?.throttled_periods)) {
    return { percent: null, secondsPerSec: null };
  }
  const periods = b.periods - a.periods;
  if (periods <= 0) return { percent: null, secondsPerSec: null };
  const throttled = Math.max(0, b.throttled_periods - a.throttled_periods);
  const time = finite(a.throttled_time) && finite(b.throttled_time) && windowMs > 0 ? Math.max(0, b.throttled_time - a.throttled_time) / 1e9 / (windowMs / 1000) : null;
  return { percent: (throttled / periods) * 100, secondsPerSec: time };
}

/**
 * Memory as `docker stats` shows it: usage minus inactive file pages, which the kernel can
 * drop at once (cgroup v1 total_inactive_file, v2 inactive_file).
 */
export function memoryWorkingSet(stats: RawStats): { usage: number; workingSet: number } | null {
  const usage = stats.memory_stats?.usage;
  if (!finite(usage)) return null;
  const counters = stats.memory_stats?.stats ?? {};
  const v1 = counters.total_inactive_file;
  if (finite(v1) && v1 < usage) return { usage, workingSet: usage - v1 };
  const v2 = counters.inactive_file;
  if (finite(v2) && v2 < usage) return { usage, workingSet: usage - v2 };
  return { usage, workingSet: usage };
}

/** Bytes received and sent over every interface; null for a container without a network (--network none / host). */
export function networkTotals(stats: RawStats): { rx: number; tx: number } | null {
  const interfaces = Object.values(stats.networks ?? {});
  if (interfaces.length === 0) return null;
  return interfaces.reduce((sum, nic) => ({ rx: sum.rx + (nic.rx_bytes ?? 0), tx: sum.tx + (nic.tx_bytes ?? 0) }), { rx: 0, tx: 0 });
}

/** Bytes read and written by block devices (v1 "Read"/"Write", v2 "read"/"write"); an empty list is no I/O yet; null when absent. */
export function blockIoTotals(stats: RawStats): { read: number; write: number } | null {
  if (!stats.blkio_stats) return null;
  const entries = stats.blkio_stats.io_service_bytes_recursive ?? [];
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    const op = (entry.op ?? '').toLowerCase();
    if (op === 'read') read += entry.value ?? 0;
    else if (op === 'write') write += entry.value ?? 0;
  }
  return { read, write };
}

function ratePerSec(before: number | null | undefined, after: number | null | undefined, windowMs: number): number | null {
  if (!finite(before) || !finite(after) || windowMs <= 0 || after < before) return null;
  return (after - before) / (windowMs / 1000);
}

export function publishedPorts(ports: readonly RawPort[] | null | undefined): PublishedPort[] {
  const seen = new Set<string>();
  const result: PublishedPort[] = [];
  for (const port of ports ?? []) {
    if (!finite(port.PublicPort)) continue;
    const ip = port.IP ?? '0.0.0.0';
    const key = `${ip}:${port.PublicPort}/${port.Type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ ip, publicPort: port.PublicPort, privatePort: port.PrivatePort, type: port.Type });
  }
  return result;
}

export interface ContainerIdentity {
  id: string;
  name: string;
  image: string;
  labels: Readonly<Record<string, string>>;
  ports: readonly RawPort[] | null | undefined;
}

/**
 * The metrics of one container from its readings at both ends of the window (`first` is
 * absent for a container that appeared during the window). `nowMs` is the wall clock at
 * the end, for how long ago a container exited.
 */
export function containerMetrics(identity: ContainerIdentity, first: ContainerReading | null, second: ContainerReading, nowMs: number): ContainerMetrics {
  const inspect = second.inspect;
  const state = inspect.State ?? {};
  const hostConfig = inspect.HostConfig;
  const windowMs = first ? Math.round(statsWindowMs(first, second)) : 0;
  const both = first?.stats && second.stats ? ([first.stats, second.stats] as const) : null;
  const rate = (value: number | null, unit: string): Metric => (both ? delta(value, unit, windowMs) : gauge(null, unit));
  const bytesRate = (value: number | null): Metric => rate(value === null ? null : round(value, 1), 'bytes/s');

  // CPU
  const limitCores = cpuLimitCores(hostConfig);
  const percent = both ? cpuPercent(both[0], both[1]) : null;
  const throttle = both ? throttling(both[0], both[1], windowMs) : { percent: null, secondsPerSec: null };
  const cpu: ContainerCpu = {
    percent: rate(percent === null ? null : round(percent, 2), '%'),
    limitCores: limitCores === null ? null : round(limitCores, 3),
    percentOfLimit: rate(percent === null || limitCores === null ? null : round(percent / limitCores, 2), '%'),
    throttledPercent: rate(throttle.percent === null ? null : round(throttle.percent, 2), '%'),
    throttledSecondsPerSec: rate(throttle.secondsPerSec === null ? null : round(throttle.secondsPerSec, 3), 's/s'),
  };

  // memory, read at the end of the window
  const memoryLimit = finite(hostConfig?.Memory) && hostConfig.Memory > 0 ? hostConfig.Memory : null;
  const mem = second.stats ? memoryWorkingSet(second.stats) : null;
  const memory: ContainerMemory = {
    workingSetBytes: gauge(mem?.workingSet ?? null, 'bytes'),
    usageBytes: gauge(mem?.usage ?? null, 'bytes'),
    limitBytes: memoryLimit,
    percentOfLimit: gauge(mem && memoryLimit !== null ? round((mem.workingSet / memoryLimit) * 100, 2) : null, '%'),
  };

  const netBefore = both ? networkTotals(both[0]) : null;
  const netAfter = both ? networkTotals(both[1]) : null;
  const ioBefore = both ? blockIoTotals(both[0]) : null;
  const ioAfter = both ? blockIoTotals(both[1]) : null;

  const pidsCurrent = second.stats?.pids_stats?.current;
  const pidsLimit =
    finite(hostConfig?.PidsLimit) && hostConfig.PidsLimit > 0
      ? hostConfig.PidsLimit
      : finite(second.stats?.pids_stats?.limit) && second.stats.pids_stats.limit > 0 && second.stats.pids_stats.limit < 2 ** 53
        ? second.stats.pids_stats.limit
        : null;

  const health = state.Health?.Status && state.Health.Status !== 'none' ? state.Health : null;
  const lastLog = health?.Log && health.Log.length > 0 ? health.Log[health.Log.length - 1] : undefined;
  const running = state.Running === true || state.Status === 'running';
  const finishedMs = Date.parse(state.FinishedAt ?? '');
  const hasFinished = Number.isFinite(finishedMs) && finishedMs > 0; // "0001-01-01T00:00:00Z" = never
  const restartsBefore = first?.inspect.RestartCount ?? inspect.RestartCount ?? 0;
  const restartsAfter = inspect.RestartCount ?? 0;

  return {
    id: identity.id.slice(0, 12),
    name: identity.name,
    image: identity.image,
    project: identity.labels['com.docker.compose.project'] ?? null,
    service: identity.labels['com.docker.compose.service'] ?? null,
    state: state.Status ?? 'unknown',
    health: health
      ? {
          status: health.Status ?? 'unknown',
          failingStreak: health.FailingStreak ?? 0,
          lastOutput: lastLog?.Output ? lastLog.Output.trim().replace(/\s+/g, ' ').slice(0, 200) : null,
          lastExitCode: lastLog?.ExitCode ?? null,
        }
      : null,
    restarts: {
      count: restartsAfter,
      duringWindow: Math.max(0, restartsAfter - restartsBefore),
      restartingSeen: state.Restarting === true || first?.inspect.State?.Restarting === true,
      policy: hostConfig?.RestartPolicy?.Name || 'no',
    },
    oomKilled: state.OOMKilled === true,
    exitCode: running ? null : (state.ExitCode ?? null),
    exitedSecondsAgo: running || !hasFinished ? null : Math.max(0, Math.round((nowMs - finishedMs) / 1000)),
    cpu,
    memory,
    network: {
      rxBytesPerSec: bytesRate(netBefore && netAfter ? ratePerSec(netBefore.rx, netAfter.rx, windowMs) : null),
      txBytesPerSec: bytesRate(netBefore && netAfter ? ratePerSec(netBefore.tx, netAfter.tx, windowMs) : null),
    },
    blockIo: {
      readBytesPerSec: bytesRate(ioBefore && ioAfter ? ratePerSec(ioBefore.read, ioAfter.read, windowMs) : null),
      writeBytesPerSec: bytesRate(ioBefore && ioAfter ? ratePerSec(ioBefore.write, ioAfter.write, windowMs) : null),
    },
    pids: {
      current: gauge(finite(pidsCurrent) ? pidsCurrent : null, 'pids'),
      limit: pidsLimit,
      percentOfLimit: gauge(finite(pidsCurrent) && pidsLimit !== null ? round((pidsCurrent / pidsLimit) * 100, 2) : null, '%'),
    },
    publishedPorts: publishedPorts(identity.ports),
  };
}
