import type { ContainerMetrics, ServiceGroup } from '../../contracts/docker.js';

/**
 * The containers grouped by compose project and service (the specification's "memory
 * consumption by service"); a container outside compose is a group of its own. Heaviest
 * memory first.
 */
export function groupByService(containers: readonly ContainerMetrics[]): ServiceGroup[] {
  const groups = new Map<string, { project: string | null; service: string; members: ContainerMetrics[] }>();
  for (const container of containers) {
    const project = container.service !== null ? container.project : null;
    const service = container.service ?? container.name;
    const key = `${project ?? ''}\u0000${service}\u0000${container.service === null ? 'container' : 'service'}`;
    const group = groups.get(key) ?? { project, service, members: [] };
    group.members.push(container);
    groups.set(key, group);
  }
  const sumOf = (values: Array<number | null>): number | null => {
    const known = values.filter((value): value is number => value !== null);
    return known.length === 0 ? null : Math.round(known.reduce((sum, value) => sum + value, 0) * 100) / 100;
  };
  const result = [...groups.values()].map(({ project, service, members }): ServiceGroup => {
    const limits = members.map((member) => member.memory.limitBytes);
    return {
      project,
      service,
      containers: members.length,
      running: members.filter((member) => member.state === 'running').length,
      cpuPercent: sumOf(members.map((member) => member.cpu.percent.value)),
      memoryWorkingSetBytes: sumOf(members.map((member) => member.memory.workingSetBytes.value)),
      memoryLimitBytes: limits.every((limit) => limit !== null) ? limits.reduce((sum, limit) => sum + (limit ?? 0), 0) : null,
      restarts: members.reduce((sum, member) => sum + member.restarts.count, 0),
      unhealthy: members.filter((member) => member.health?.status === 'unhealthy').length,
    };
  });
  return result.sort((a, b) => (b.memoryWorkingSetBytes ?? -1) - (a.memoryWorkingSetBytes ?? -1) || a.service.localeCompare(b.service));
}
