/**
 * The containers section of the executive summary: the engine, memory and CPU by compose
 * service (the specification's "memory consumption by service"), containers that need a look,
 * and TCP connect latency to the services.
 */
import type { DockerMetrics } from '../contracts/docker.js';
import { formatDuration, formatNumber, heading, oneLine, table } from './format.js';
import { formatBytes } from '../shared/bytes.js';

/** Rows of the service table; the JSON report has every one. */
export const TOP_SERVICES = 15;

const percent = (value: number | null) => (value === null ? 'n/a' : `${formatNumber(Math.round(value * 10) / 10)} %`);
const ms = (value: number | null) => (value === null ? 'n/a' : `${formatNumber(Math.round(value * 100) / 100)} ms`);

export function dockerSection(docker: DockerMetrics): string[] {
  const states = Object.entries(docker.containersByState)
    .sort((a, b) => b[1] - a[1])
    .map(([state, count]) => `${count} ${oneLine(state)}`)
    .join(', ');
  const lines = [
    ...heading(`CONTAINERS (Docker ${oneLine(docker.engine.version)}, window ${formatDuration(docker.windowMs)})`),
    `Engine ${oneLine(docker.engine.host)} (API ${oneLine(docker.engine.apiVersion)}, cgroup v${oneLine(docker.engine.cgroupVersion ?? '?')}): ` +
      `${states || 'no containers'}` +
      (docker.filteredOut > 0 ? `; ${docker.filteredOut} left out by the filters` : ''),
  ];
  if (docker.services.length > 0) {
    const shown = docker.services.slice(0, TOP_SERVICES);
    lines.push(
      '',
      'By service (CPU: 100 % = one core; memory: working set, limit summed)',
      ...table(
        [
          { header: 'service' },
          { header: 'running', align: 'right' },
          { header: 'cpu', align: 'right' },
          { header: 'memory', align: 'right' },
          { header: 'limit', align: 'right' },
          { header: 'restarts', align: 'right' },
          { header: 'notes' },
        ],
        shown.map((group) => [
          group.project !== null ? `${group.project}/${group.service}` : group.service,
          `${group.running}/${group.containers}`,
          percent(group.cpuPercent),
          formatBytes(group.memoryWorkingSetBytes),
          group.memoryLimitBytes === null ? 'none' : formatBytes(group.memoryLimitBytes),
          String(group.restarts),
          group.unhealthy > 0 ? `${group.unhealthy} unhealthy` : '',
        ]),
      ),
    );
    if (docker.services.length > shown.length) lines.push(`... and ${docker.services.length - shown.length} more in the JSON report.`);
  }
  if (docker.latency.length > 0) {
    lines.push(
      '',
      'TCP connect latency from the profiler',
      ...table(
        [
          { header: 'service' },
          { header: 'address' },
          { header: 'samples', align: 'right' },
          { header: 'p50', align: 'right' },
          { header: 'p99', align: 'right' },
          { header: 'failures' },
        ],
        docker.latency.map((target) => [
          target.name,
          `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`,
          String(target.samples),
          ms(target.p50Ms),
          ms(target.p99Ms),
          target.failures > 0 ? `${target.failures} (${target.error ?? 'error'})` : '0',
        ]),
      ),
    );
  }
  return lines;
}
