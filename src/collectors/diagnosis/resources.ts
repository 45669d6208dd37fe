/**
 * What the machine did during an attribution window besides PostgreSQL and Redis: the host's CPU
 * (/proc/stat) and each selected container's CPU, CPU limit, throttling and memory (one-shot Docker
 * stats; inspect once per container for its limits), read before and after the window. `readResources` does the I/O through the host and
 * Docker ports; `windowResources` (pure) turns two readings into use, with the arithmetic of the
 * Docker phase (docker/stats.ts) and the system phase (system/cpu.ts).
 */
import type { ContainerUse, WindowResources } from '../../contracts/diagnosis.js';
import type { DockerEngine, RawInspect } from '../../ports/docker.js';
import type { HostPort } from '../../ports/host.js';
import type { GeneratorSample } from '../../load/meter.js';
import { selectContainer, type ContainerFilter } from '../docker/filters.js';
import { cpuLimitCores, cpuPercent, memoryWorkingSet, throttling, statsWindowMs, type ContainerReading } from '../docker/stats.js';
import { cpuMetrics } from '../system/cpu.js';
import { errorMessage } from '../../shared/errors.js';

export interface ResourceSource {
  host: HostPort;
  /** null when Docker is not configured or could not be reached */
  docker: { engine: DockerEngine; include: ContainerFilter; exclude: ContainerFilter } | null;
  /** inspect results by container id: a container's limits are read once per run, not at every reading */
  inspected: Map<string, RawInspect>;
}

export interface ResourceReading {
  atMs: number;
  procStat: string | null;
  /** running containers by id */
  containers: Map<string, { name: string; reading: ContainerReading; service?: string }>;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * One reading of the host and the running containers. A container that fails its stats read is
 * left out of this reading (and so of the window) with a note; the engine failing as a whole
 * throws, and the caller stops reading Docker.
 */
export async function readResources(source: ResourceSource, notes: Set<string>): Promise<ResourceReading> {
  const atMs = performance.now();
  const procStat = await source.host.readText('/proc/stat');
  const containers = new Map<string, { name: string; reading: ContainerReading; service?: string }>();
  if (source.docker) {
    const { engine, include, exclude } = source.docker;
    const running = (await engine.listContainers()).filter((summary) => {
      const name = (summary.Names?.[0] ?? summary.Id.slice(0, 12)).replace(/^\//, '');
      return summary.State === 'running' && selectContainer(name, summary.Labels ?? {}, include, exclude);
    });
    await Promise.all(
      running.map(async (summary) => {
        const name = (summary.Names?.[0] ?? summary.Id.slice(0, 12)).replace(/^\//, '');
        try {
          const known = source.inspected.get(summary.Id);
          const [inspect, stats] = await Promise.all([known ?? engine.inspect(summary.Id), engine.stats(summary.Id)]);
          source.inspected.set(summary.Id, inspect);
          const service = summary.Labels?.['com.docker.compose.service'];
          containers.set(summary.Id, { name, reading: { atMs: performance.now(), inspect, stats }, ...(service ? { service } : {}) });
        } catch (error) {
          notes.add(`container ${name}: not read (${errorMessage(error)})`);
        }
      }),
    );
  }
  return { atMs, procStat, containers };
}

/** One container across the window; null when it was not running at both readings. */
export function containerUse(name: string, before: ContainerReading, after: ContainerReading): ContainerUse | null {
  if (!before.stats || !after.stats) return null;
  const windowMs = statsWindowMs(before, after);
  const cpu = cpuPercent(before.stats, after.stats);
  const limit = cpuLimitCores(after.inspect.HostConfig);
  const memory = memoryWorkingSet(after.stats);
  const memoryLimit = after.inspect.HostConfig?.Memory;
  const throttled = throttling(before.stats, after.stats, windowMs).percent;
  return {
    name,
    cpuPercent: cpu === null ? null : round(cpu),
    cpuLimitCores: limit,
    cpuLimitPercent: cpu === null || limit === null ? null : round(cpu / limit),
    throttledPercent: throttled === null ? null : round(throttled),
    memoryBytes: memory?.workingSet ?? null,
    memoryLimitPercent: memory && memoryLimit !== undefined && memoryLimit > 0 ? round((memory.workingSet / memoryLimit) * 100) : null,
  };
}

/** The window's use: host CPU, every container read at both ends (busiest first) and the generator's own load. */
export function windowResources(before: ResourceReading, after: ResourceReading, generator: GeneratorSample): WindowResources {
  const cpu = before.procStat !== null && after.procStat !== null ? cpuMetrics(before.procStat, after.procStat, after.atMs - before.atMs) : null;
  const containers: ContainerUse[] = [];
  for (const [id, { name, reading, service }] of after.containers) {
    const earlier = before.containers.get(id);
    const use = earlier ? containerUse(name, earlier.reading, reading) : null;
    if (use) containers.push(service ? { ...use, service } : use);
  }
  containers.sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1) || a.name.localeCompare(b.name));
  const hostCpu = cpu?.totalPercent.value ?? null;
  return {
    hostCpuPercent: hostCpu === null ? null : round(hostCpu),
    cores: cpu?.cores ?? null,
    generator: { cpuPercent: generator.cpuPercent, eventLoopDelayP99Ms: generator.eventLoopDelayP99Ms },
    containers,
  };
}
