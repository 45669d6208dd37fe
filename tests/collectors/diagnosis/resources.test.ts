import { describe, expect, it } from '@jest/globals';
import { containerUse, readResources, windowResources, type ResourceReading } from '../../../src/collectors/diagnosis/resources.js';
import type { ContainerReading } from '../../../src/collectors/docker/stats.js';
import type { DockerEngine, RawStats } from '../../../src/ports/docker.js';
import type { HostPort } from '../../../src/ports/host.js';

// 2 cores; one second of system time = 2e9 ns of CPU
const stats = (usageNs: number, systemNs: number, periods: number, throttled: number, memory = 100_000_000): RawStats => ({
  cpu_stats: { cpu_usage: { total_usage: usageNs }, system_cpu_usage: systemNs, online_cpus: 2, throttling_data: { periods, throttled_periods: throttled, throttled_time: throttled * 1e6 } },
  memory_stats: { usage: memory, limit: 1e12, stats: { inactive_file: 10_000_000 } },
});
const reading = (atMs: number, raw: RawStats | null, limit: { NanoCpus?: number; Memory?: number } = {}): ContainerReading => ({
  atMs,
  inspect: { Id: 'x', HostConfig: limit },
  stats: raw,
});
const generator = { cpuPercent: 12.5, eventLoopDelayP99Ms: 0.3, eventLoopDelayMaxMs: 1 };
const procStat = (busy: number, idle: number) => `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy / 2} 0 0 ${idle / 2} 0 0 0 0 0 0\ncpu1 ${busy / 2} 0 0 ${idle / 2} 0 0 0 0 0 0\n`;

describe('containerUse', () => {
  it('CPU as docker stats counts it, against a --cpus limit, with throttling and the working set against the memory limit', () => {
    // 0.25 s of CPU over 1 s of the 2-core system clock (2e9 ns): 25 % of one core; limit 0.25 cores -> 100 %
    const use = containerUse(
      'api',
      reading(0, stats(1e9, 10e9, 100, 10)),
      reading(1000, stats(1.25e9, 12e9, 110, 19), { NanoCpus: 250_000_000, Memory: 360_000_000 }),
    );
    expect(use).toEqual({ name: 'api', cpuPercent: 25, cpuLimitCores: 0.25, cpuLimitPercent: 100, throttledPercent: 90, memoryBytes: 90_000_000, memoryLimitPercent: 25 });
  });

  it('no limit: no % of limit; not running at one end: not counted', () => {
    const use = containerUse('db', reading(0, stats(0, 10e9, 0, 0)), reading(1000, stats(1e9, 12e9, 0, 0)));
    expect(use).toMatchObject({ cpuPercent: 100, cpuLimitCores: null, cpuLimitPercent: null, throttledPercent: null, memoryLimitPercent: null });
    expect(containerUse('gone', reading(0, stats(0, 10e9, 0, 0)), reading(1000, null))).toBeNull();
  });
});

describe('windowResources', () => {
  it('host CPU from /proc/stat, containers read at both ends busiest first, the generator as measured', () => {
    const before: ResourceReading = {
      atMs: 0,
      procStat: procStat(1000, 1000),
      containers: new Map([
        ['a', { name: 'quiet', reading: reading(0, stats(0, 10e9, 0, 0)) }],
        ['b', { name: 'busy', reading: reading(0, stats(0, 10e9, 0, 0)) }],
        ['c', { name: 'started-late', reading: reading(0, null) }],
      ]),
    };
    const after: ResourceReading = {
      atMs: 1000,
      procStat: procStat(1150, 1050),
      containers: new Map([
        ['a', { name: 'quiet', reading: reading(1000, stats(0.1e9, 12e9, 0, 0)) }],
        ['b', { name: 'busy', reading: reading(1000, stats(1.5e9, 12e9, 0, 0)) }],
        ['c', { name: 'started-late', reading: reading(1000, stats(1e9, 12e9, 0, 0)) }],
        ['d', { name: 'new', reading: reading(1000, stats(1e9, 12e9, 0, 0)) }],
      ]),
    };
    const resources = windowResources(before, after, generator);
    expect(resources.hostCpuPercent).toBe(75);
    expect(resources.cores).toBe(2);
    expect(resources.generator).toEqual({ cpuPercent: 12.5, eventLoopDelayP99Ms: 0.3 });
    expect(resources.containers.map((c) => [c.name, c.cpuPercent])).toEqual([
      ['busy', 150],
      ['quiet', 10],
    ]);
  });

  it('no /proc/stat (not Linux): host CPU null, the rest still read', () => {
    const empty = { atMs: 0, procStat: null, containers: new Map() };
    expect(windowResources(empty, { ...empty, atMs: 1000 }, generator)).toMatchObject({ hostCpuPercent: null, cores: null, containers: [] });
  });
});

describe('readResources', () => {
  const host = { readText: async (path: string) => (path === '/proc/stat' ? procStat(1, 1) : null) } as unknown as HostPort;
  const engine = (stats: (id: string) => Promise<RawStats>): DockerEngine =>
    ({
      listContainers: async () => [
        { Id: '1', Names: ['/api'], State: 'running', Labels: {} },
        { Id: '2', Names: ['/worker'], State: 'running', Labels: { role: 'worker' } },
        { Id: '3', Names: ['/old'], State: 'exited', Labels: {} },
        { Id: '4', Names: ['/broken'], State: 'running', Labels: {} },
      ],
      inspect: async (id: string) => {
        inspections.push(id);
        return { Id: id };
      },
      stats,
    }) as unknown as DockerEngine;
  const none = { names: [], labels: [] };
  const inspections: string[] = [];

  it('reads the running containers the docker filters select; one failing is a note, not a failure', async () => {
    const notes = new Set<string>();
    const source = {
      host,
      docker: { engine: engine(async (id) => (id === '4' ? Promise.reject(new Error('HTTP 500')) : stats(0, 1, 0, 0))), include: none, exclude: { names: [], labels: ['role=worker'] } },
      inspected: new Map(),
    };
    inspections.length = 0;
    const result = await readResources(source, notes);
    expect(result.procStat).toContain('cpu ');
    expect([...result.containers.values()].map((c) => c.name)).toEqual(['api']);
    expect([...notes]).toEqual(['container broken: not read (HTTP 500)']);
    // the limits do not change between readings: a container is inspected once per run
    await readResources(source, notes);
    expect(inspections.filter((id) => id === '1')).toHaveLength(1);
  });

  it('without Docker: the host only', async () => {
    const result = await readResources({ host, docker: null, inspected: new Map() }, new Set());
    expect(result.containers.size).toBe(0);
  });
});
