/**
 * Pure: which resource reached its limit in an endpoint's windows (the first window at
 * diagnosis.concurrency users, then the scaling window), the first to saturate first, and how
 * much the mean latency grew between the two. "Saturated" is judged from the readings alone,
 * like the knee of the load test, so the report can say it next to the latency growth.
 */
import { globMatches } from '../docker/filters.js';
import type { ConnectionUse, ContainerUse, SaturatedResource, SaturationAnalysis, WindowResources } from '../../contracts/diagnosis.js';

/** A container uses at least this % of its CPU limit. Design choice (issue 8): at 90 % of its quota a container is throttled in most CFS periods. */
export const CONTAINER_CPU_LIMIT_PERCENT = 90;
/** ...or is throttled in more than this % of its CFS periods. Source: SPEC-THRESHOLDS.md, containers: "CPU throttled periods > 25 % of periods: warning". */
export const CONTAINER_THROTTLED_PERCENT = 25;
/** The host's CPU is busy above this %. Source: SPEC-THRESHOLDS.md, host CPU critical "> 95 %". */
export const HOST_CPU_PERCENT = 95;
/** The application's connections were all busy in at least this % of the samples, and it held fewer than the concurrent requests. Design choice (issue 8): "most of the time". */
export const CONNECTIONS_ALL_BUSY_PERCENT = 50;
/** A container's CPU moved with our traffic when its use in the window exceeds the control window's by at least this % of its limit. Design choice: a quarter of the quota is well beyond the noise of two Docker stats readings, and a container driven to its limit from idle moves by far more. */
export const MOVED_LIMIT_PERCENT = 25;
/** The host's CPU moved with our traffic when its busy % in the window exceeds the control window's by at least this many points. Design choice: the SPEC-THRESHOLDS.md host CPU bands are 15-20 points apart; 10 points is a clear move on 2 cores (one core a fifth busy). */
export const MOVED_HOST_POINTS = 10;

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

/** The control window (no traffic of ours) and the containers that serve the API (diagnosis.containers), to tell what our traffic moved. */
export interface Causality {
  control: { resources: WindowResources | undefined; connections: ConnectionUse | null | undefined } | null;
  /** names or compose services (globs with "*"); absent: every container may be blamed */
  serving?: readonly string[];
  /** the idle period right after the endpoint's window: a second control, for load that began during the window */
  afterWindow?: WindowResources;
}

type NotCause = NonNullable<SaturationAnalysis['notCauses']>[number];


/** The container serves the API: diagnosis.containers names it or its compose service (or names none). */
export function servesApi(container: ContainerUse, serving: readonly string[] | undefined): boolean {
  if (!serving || serving.length === 0) return true;
  return serving.some((pattern) => globMatches(pattern, container.name) || (container.service !== undefined && globMatches(pattern, container.service)));
}

/**
 * Splits what saturated in an endpoint's window into causes and not-causes: a resource already
 * saturated in the control window is background; one that our traffic did not move (its reading
 * no higher than in the control window) is not ours; a container diagnosis.containers does not
 * name does not serve the API.
 */
export function judgeCausality(found: readonly SaturatedResource[], window: WindowReadings, causality: Causality, generator: GeneratorLimits): { causes: SaturatedResource[]; notCauses: NotCause[] } {
  const causes: SaturatedResource[] = [];
  const notCauses: NotCause[] = [];
  const control = causality.control;
  const before = control ? saturatedIn({ concurrency: 0, latencyMeanMs: null, resources: control.resources, connections: control.connections }, generator) : [];
  const afterWindow = causality.afterWindow;
  const stillSaturated = afterWindow ? saturatedIn({ concurrency: 0, latencyMeanMs: null, resources: afterWindow, connections: null }, generator) : [];
  for (const entry of found) {
    if (entry.resource === 'generator') {
      causes.push(entry);
      continue;
    }
    const wasSaturated = before.find((seen) => seen.resource === entry.resource && seen.subject === entry.subject);
    if (entry.resource === 'container-cpu-limit') {
      const use = window.resources?.containers.find((container) => container.name === entry.container);
      if (use && !servesApi(use, causality.serving)) {
        notCauses.push({ ...entry, why: 'not-serving', detail: `${entry.subject} is not one of the containers that serve the API (diagnosis.containers: ${(causality.serving ?? []).join(', ')})` });
        continue;
      }
      if (wasSaturated) {
        notCauses.push({ ...entry, why: 'background', detail: `${entry.subject} was at its CPU limit before any traffic (${wasSaturated.value} ${wasSaturated.unit} in the control window): not caused by these requests` });
        continue;
      }
      const after = stillSaturated.find((seen) => seen.resource === entry.resource && seen.subject === entry.subject);
      if (after) {
        notCauses.push({ ...entry, why: 'background', detail: `${entry.subject} was still at its CPU limit with no traffic of ours right after the window (${after.value} ${after.unit}): not caused by these requests` });
        continue;
      }
      const idleReadings = [
        { use: control?.resources?.containers.find((container) => container.name === entry.container), where: 'in the control window' },
        { use: afterWindow?.containers.find((container) => container.name === entry.container), where: 'right after the window' },
      ];
      const idle = idleReadings
        .filter((reading) => reading.use?.cpuPercent !== null && reading.use?.cpuPercent !== undefined)
        .sort((a, b) => b.use!.cpuPercent! - a.use!.cpuPercent!)[0];
      if (use && idle && use.cpuLimitCores !== null && use.cpuPercent !== null) {
        const moved = (use.cpuPercent - idle.use!.cpuPercent!) / use.cpuLimitCores;
        if (moved < MOVED_LIMIT_PERCENT) {
          notCauses.push({ ...entry, why: 'not-moved', detail: `${entry.subject} used ${use.cpuPercent} % CPU while driven and ${idle.use!.cpuPercent} % ${idle.where}: our traffic did not move it` });
          continue;
        }
      }
      causes.push(entry);
      continue;
    }
    if (entry.resource === 'host-cpu') {
      if (wasSaturated) {
        notCauses.push({ ...entry, why: 'background', detail: `the host's CPU was ${wasSaturated.value} % busy before any traffic (control window): not caused by these requests` });
        continue;
      }
      const after = stillSaturated.find((seen) => seen.resource === 'host-cpu');
      if (after) {
        notCauses.push({ ...entry, why: 'background', detail: `the host's CPU was still ${after.value} % busy with no traffic of ours right after the window: another job's load, not caused by these requests` });
        continue;
      }
      const idle = [
        { value: control?.resources?.hostCpuPercent, where: 'in the control window' },
        { value: afterWindow?.hostCpuPercent, where: 'right after the window' },
      ]
        .filter((reading): reading is { value: number; where: string } => reading.value !== null && reading.value !== undefined)
        .sort((a, b) => b.value - a.value)[0];
      if (idle && entry.value - idle.value < MOVED_HOST_POINTS) {
        notCauses.push({ ...entry, why: 'not-moved', detail: `the host's CPU was ${entry.value} % busy while driven and ${idle.value} % ${idle.where}: our traffic did not move it` });
        continue;
      }
      causes.push(entry);
      continue;
    }
    // the application's connections: all busy with no traffic of ours is someone else's load
    if (wasSaturated) {
      notCauses.push({ ...entry, why: 'background', detail: `${entry.subject} were all busy before any traffic (control window): not caused by these requests` });
      continue;
    }
    causes.push(entry);
  }
  return { causes, notCauses };
}

/** The resources saturated in one window. */
export function saturatedIn(window: WindowReadings, generator: GeneratorLimits): SaturatedResource[] {
  const out: SaturatedResource[] = [];
  const at = window.concurrency;
  const connections = window.connections;
  // in the control window (concurrency 0) all busy with no traffic of ours is enough
  if (connections && (at === 0 || connections.maxConnections < at) && connections.allBusyPercent >= CONNECTIONS_ALL_BUSY_PERCENT) {
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
export function saturationAnalysis(first: WindowReadings, scaling: WindowReadings | null, generator: GeneratorLimits, causality: Causality = { control: null }): SaturationAnalysis {
  const judged = judgeCausality(saturatedIn(first, generator), first, causality, generator);
  const saturated = judged.causes;
  const notCauses = judged.notCauses;
  if (scaling) {
    const more = judgeCausality(saturatedIn(scaling, generator), scaling, causality, generator);
    for (const entry of more.causes) {
      if (!saturated.some((seen) => seen.resource === entry.resource && seen.subject === entry.subject)) saturated.push(entry);
    }
    for (const entry of more.notCauses) {
      if (!notCauses.some((seen) => seen.resource === entry.resource && seen.subject === entry.subject) && !saturated.some((seen) => seen.resource === entry.resource && seen.subject === entry.subject)) notCauses.push(entry);
    }
  }
  const growth =
    scaling && first.latencyMeanMs !== null && first.latencyMeanMs > 0 && scaling.latencyMeanMs !== null
      ? Math.round((scaling.latencyMeanMs / first.latencyMeanMs) * 100) / 100
      : null;
  return { fromConcurrency: first.concurrency, toConcurrency: scaling?.concurrency ?? first.concurrency, latencyGrowth: growth, saturated, ...(notCauses.length > 0 ? { notCauses } : {}) };
}
