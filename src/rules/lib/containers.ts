/**
 * Helpers shared by the container rules: where the Docker facts are and how a container is
 * named in a message. Pure: no I/O, no clock.
 */
import type { ContainerMetrics } from '../../contracts/docker.js';
import { formatBytes, formatPercent } from '../levels.js';

/** `container:<name>` */
export function containerSubject(container: ContainerMetrics): string {
  return `container:${container.name}`;
}

/** "api-1 (shop/api, image shop-api:1.4)" */
export function describeContainer(container: ContainerMetrics): string {
  const service = container.service !== null ? `${container.project ?? '-'}/${container.service}, ` : '';
  return `${container.name} (${service}image ${container.image})`;
}

/** "0.5 core", "2 cores" */
export function formatCores(cores: number): string {
  const text = Number.isInteger(cores) ? String(cores) : String(Math.round(cores * 100) / 100);
  return `${text} ${cores === 1 || cores < 1 ? 'core' : 'cores'}`;
}

/** "api-1 180.0 % CPU" (100 % = one core) */
export function describeContainerCpu(container: ContainerMetrics): string {
  return `${container.name} ${formatPercent(container.cpu.percent.value ?? 0)} CPU`;
}

/** "db-1 1.2 GB working set" */
export function describeContainerMemory(container: ContainerMetrics): string {
  return `${container.name} ${formatBytes(container.memory.workingSetBytes.value ?? 0)} working set`;
}

/** The compose service that runs a container, for `docker compose` commands; else the container name for `docker` ones. */
export function composeHint(container: ContainerMetrics): string {
  return container.service !== null
    ? `service "${container.service}" of compose project "${container.project ?? '?'}"`
    : `container ${container.name}`;
}
