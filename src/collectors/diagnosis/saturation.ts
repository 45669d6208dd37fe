/**
 * Pure: which resource reached its limit in an endpoint's windows (the first window at
 * diagnosis.concurrency users, then the scaling window), the first to saturate first, and how
 * much the mean latency grew between the two. "Saturated" is judged from the readings alone,
 * like the knee of the load test, so the report can say it next to the latency growth.
 */
import type { ConnectionUse, SaturatedResource, SaturationAnalysis, WindowResources } from '../../contracts/diagnosis.js';

/** A container uses at least this % of its CPU limit. Design choice (issue 8): at 90 % of its quota a container is throttled in most CFS periods. */
export const CONTAINER_CPU_LIMIT_PERCENT = 90;
/** ...or is throttled in more than this % of its CFS periods. Source: SPEC-THRESHOLDS.md, containers: "CPU throttled periods > 25 % of periods: warning". */
export const CONTAINER_THROTTLED_PERCENT = 25;
/** The host's CPU is busy above this %. Source: SPEC-THRESHOLDS.md, host CPU critical "> 95 %". */
export const HOST_CPU_PERCENT = 95;
/** The application's connections were all busy in at least this % of the samples, and it held fewer than the concurrent requests. Design choice (issue 8): "most of the time". */
export const CONNECTIONS_ALL_BUSY_PERCENT = 50;

/** A window's readings: its concurrency, the resources and connections seen, and the generator's limits (config load.generator). */
export interface WindowReadings {
  concurrency: number;
  latencyMeanMs: number | null;
  resources: WindowResources | undefined;
  connections: ConnectionUse | null | undefined;
}

export interface GeneratorLimits {
  cpuPercent: number;
  eventLoopDelayMs: number;
}

const ORDER: readonly SaturatedResource['resource'][] = ['database-connections', 'container-cpu-limit', 'host-cpu', 'generator'];

/** The resources saturated in one window. */
export function saturatedIn(window: WindowReadings, generator: GeneratorLimits): SaturatedResource[] {
  const out: SaturatedResource[] = [];
  const at = window.concurrency;
  const connections = window.connections;
  if (connections && connections.maxConnections < at && connections.allBusyPercent >= CONNECTIONS_ALL_BUSY_PERCENT) {
    out.push({
      resource: 'database-connections',
      subject: `the database connections of application "${connections.applicationName || '(no application_name)'}"`,
      atConcurrency: at,
      value: connections.allBusyPercent,
      limit: CONNECTIONS_ALL_BUSY_PERCENT,
      unit: '% of samples all busy',
    });
  }
  const resources = window.resources;
  if (resources) {
    for (const container of resources.containers) {
      if (container.cpuLimitPercent !== null && container.cpuLimitPercent >= CONTAINER_CPU_LIMIT_PERCENT) {
        out.push({ resource: 'container-cpu-limit', subject: `container ${container.name}`, container: container.name, atConcurrency: at, value: container.cpuLimitPercent, limit: CONTAINER_CPU_LIMIT_PERCENT, unit: '% of its CPU limit' });
      } else if (container.throttledPercent !== null && container.throttledPercent > CONTAINER_THROTTLED_PERCENT) {
        out.push({ resource: 'container-cpu-limit', subject: `container ${container.name}`, container: container.name, atConcurrency: at, value: container.throttledPercent, limit: CONTAINER_THROTTLED_PERCENT, unit: '% of CFS periods throttled' });
      }
    }
    if (resources.hostCpuPercent !== null && resources.hostCpuPercent >= HOST_CPU_PERCENT) {
      out.push({ resource: 'host-cpu', subject: `host (${resources.cores ?? '?'} cores)`, atConcurrency: at, value: resources.hostCpuPercent, limit: HOST_CPU_PERCENT, unit: '% CPU busy' });
    }
    if (resources.generator.cpuPercent >= generator.cpuPercent) {
      out.push({ resource: 'generator', subject: 'perf-analyze (the load generator)', atConcurrency: at, value: resources.generator.cpuPercent, limit: generator.cpuPercent, unit: '% of one core' });
    } else if (resources.generator.eventLoopDelayP99Ms >= generator.eventLoopDelayMs) {
      out.push({ resource: 'generator', subject: 'perf-analyze (the load generator)', atConcurrency: at, value: resources.generator.eventLoopDelayP99Ms, limit: generator.eventLoopDelayMs, unit: 'ms event-loop delay p99' });
    }
  }
  return out.sort((a, b) => ORDER.indexOf(a.resource) - ORDER.indexOf(b.resource));
}

/**
 * Latency growth from the first window to the scaling window (when there is one) and every
 * resource saturated in either, first window first; a resource already saturated in the first
 * window is listed once, at that concurrency.
 */
export function saturationAnalysis(first: WindowReadings, scaling: WindowReadings | null, generator: GeneratorLimits): SaturationAnalysis {
  const saturated = saturatedIn(first, generator);
  if (scaling) {
    for (const entry of saturatedIn(scaling, generator)) {
      if (!saturated.some((seen) => seen.resource === entry.resource && seen.subject === entry.subject)) saturated.push(entry);
    }
  }
  const growth =
    scaling && first.latencyMeanMs !== null && first.latencyMeanMs > 0 && scaling.latencyMeanMs !== null
      ? Math.round((scaling.latencyMeanMs / first.latencyMeanMs) * 100) / 100
      : null;
  return { fromConcurrency: first.concurrency, toConcurrency: scaling?.concurrency ?? first.concurrency, latencyGrowth: growth, saturated };
}
