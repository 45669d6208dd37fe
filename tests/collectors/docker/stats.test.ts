import { describe, expect, test } from '@jest/globals';
import { blockIoTotals, containerMetrics, cpuLimitCores, cpuPercent, cpusetCount, memoryWorkingSet, throttling } from '../../../src/collectors/docker/stats.js';
import { selectContainer } from '../../../src/collectors/docker/filters.js';
import { configuredServices, percentile, publishedEndpoints, endpointOfUrl } from '../../../src/collectors/docker/latency.js';
import { dockerEndpoint, dockerConfigured } from '../../../src/collectors/docker/target.js';
import { configSchema } from '../../../src/config/schema.js';
import type { RawStats } from '../../../src/ports/docker.js';

/** Two readings taken from a real cgroup v1 engine (20.10), 1 s apart, of a container at --cpus 0.5. */
const before: RawStats = {
  read: '2026-11-27T17:37:13.485886558Z',
  cpu_stats: {
    cpu_usage: { total_usage: 2_764_623_001, percpu_usage: [2_412_042_902, 352_580_099] },
    system_cpu_usage: 3_507_360_000_000,
    online_cpus: 2,
    throttling_data: { periods: 56, throttled_periods: 54, throttled_time: 2_612_579_314 },
  },
  memory_stats: { usage: 327_680, stats: { total_inactive_file: 0 } },
  blkio_stats: { io_service_bytes_recursive: [] },
};
const after: RawStats = {
  read: '2026-11-27T17:37:14.488514788Z',
  cpu_stats: {
    cpu_usage: { total_usage: 3_263_468_135, percpu_usage: [2_412_042_902, 851_425_233] },
    system_cpu_usage: 3_509_380_000_000,
    online_cpus: 2,
    throttling_data: { periods: 66, throttled_periods: 64, throttled_time: 3_113_497_184 },
  },
  memory_stats: { usage: 61_292_544 + 4_096, limit: 67_108_864, stats: { total_inactive_file: 4_096, inactive_file: 4_096 } },
  blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 4096 }, { op: 'Write', value: 8192 }, { op: 'Total', value: 12288 }] },
};

describe('docker stats arithmetic', () => {
  test('CPU % as docker stats: delta usage / delta system x online CPUs x 100', () => {
    // (3263468135 - 2764623001) / (3509380000000 - 3507360000000) x 2 x 100
    expect(cpuPercent(before, after)).toBeCloseTo(49.39, 2);
    // online_cpus absent: the per-CPU list length stands in
    const noOnline = structuredClone(after);
    delete noOnline.cpu_stats!.online_cpus;
    expect(cpuPercent(before, noOnline)).toBeCloseTo(49.39, 2);
    // a counter that went back (restart between readings) is not a rate
    expect(cpuPercent(after, before)).toBeNull();
  });

  test('throttling over the window', () => {
    const result = throttling(before, after, 1000);
    expect(result.percent).toBe(100); // 10 of 10 periods
    expect(result.secondsPerSec).toBeCloseTo(0.501, 3);
    expect(throttling({}, after, 1000)).toEqual({ percent: null, secondsPerSec: null });
  });

  test('memory working set: cgroup v1 total_inactive_file, v2 inactive_file', () => {
    expect(memoryWorkingSet(after)).toEqual({ usage: 61_296_640, workingSet: 61_292_544 });
    expect(memoryWorkingSet({ memory_stats: { usage: 1000, stats: { inactive_file: 300 } } })).toEqual({ usage: 1000, workingSet: 700 });
    expect(memoryWorkingSet({ memory_stats: { usage: 1000, stats: {} } })).toEqual({ usage: 1000, workingSet: 1000 });
    expect(memoryWorkingSet({})).toBeNull();
  });

  test('block I/O: v1 and v2 op names; Total ignored', () => {
    expect(blockIoTotals(after)).toEqual({ read: 4096, write: 8192 });
    expect(blockIoTotals({ blkio_stats: { io_service_bytes_recursive: [{ op: 'read', value: 1 }, { op: 'write', value: 2 }] } })).toEqual({ read: 1, write: 2 });
    expect(blockIoTotals({ blkio_stats: { io_service_bytes_recursive: null } })).toEqual({ read: 0, write: 0 });
    expect(blockIoTotals({})).toBeNull();
  });

  test('CPU limit: --cpus, quota/period, cpuset, the tightest wins', () => {
    expect(cpuLimitCores({ NanoCpus: 500_000_000 })).toBe(0.5);
    expect(cpuLimitCores({ CpuQuota: 150_000, CpuPeriod: 100_000 })).toBe(1.5);
    expect(cpuLimitCores({ CpuQuota: 50_000 })).toBe(0.5);
    expect(cpuLimitCores({ CpusetCpus: '0-1,3' })).toBe(3);
    expect(cpuLimitCores({ NanoCpus: 2e9, CpusetCpus: '0' })).toBe(1);
    expect(cpuLimitCores({ NanoCpus: 0, CpuQuota: -1 })).toBeNull();
    expect(cpusetCount('')).toBeNull();
  });

  test('container metrics from two readings', () => {
    const inspect = { Id: 'abc', RestartCount: 2, State: { Status: 'running', Running: true }, HostConfig: { NanoCpus: 5e8, Memory: 67_108_864 } };
    const metrics = containerMetrics(
      { id: 'abcdef0123456789', name: 'hog', image: 'busybox', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's' }, ports: [] },
      { atMs: 0, inspect: { ...inspect, RestartCount: 1 }, stats: before },
      { atMs: 1000, inspect, stats: after },
      Date.parse('2026-11-27T17:40:00Z'),
    );
    expect(metrics).toMatchObject({ id: 'abcdef012345', project: 'p', service: 's', exitCode: null, restarts: { count: 2, duringWindow: 1 } });
    expect(metrics.cpu.percent).toEqual({ value: 49.39, unit: '%', sampling: 'delta', windowMs: 1003 });
    expect(metrics.cpu.percentOfLimit.value).toBe(98.78);
    expect(metrics.memory.percentOfLimit.value).toBe(91.33); // what `docker stats` showed for this container
    expect(metrics.network.rxBytesPerSec.value).toBeNull(); // --network none
  });
});

describe('filters, endpoints, percentiles', () => {
  test('include and exclude by name glob and label', () => {
    const none = { names: [], labels: [] };
    expect(selectContainer('shop-api-1', {}, none, none)).toBe(true);
    expect(selectContainer('shop-api-1', {}, { names: ['shop-*'], labels: [] }, none)).toBe(true);
    expect(selectContainer('other', {}, { names: ['shop-*'], labels: [] }, none)).toBe(false);
    expect(selectContainer('x', { tier: 'web' }, { names: [], labels: ['tier=web'] }, none)).toBe(true);
    expect(selectContainer('x', { tier: 'db' }, { names: [], labels: ['tier=web'] }, none)).toBe(false);
    expect(selectContainer('x', { skip: '' }, none, { names: [], labels: ['skip'] })).toBe(false);
    expect(selectContainer('a.b', {}, { names: ['a.b'], labels: [] }, none)).toBe(true);
    expect(selectContainer('axb', {}, { names: ['a.b'], labels: [] }, none)).toBe(false);
  });

  test('DOCKER_HOST forms', () => {
    expect(dockerEndpoint(undefined)).toEqual({ kind: 'socket', socketPath: '/var/run/docker.sock' });
    expect(dockerEndpoint('/tmp/d.sock')).toEqual({ kind: 'socket', socketPath: '/tmp/d.sock' });
    expect(dockerEndpoint('unix:///run/docker.sock')).toEqual({ kind: 'socket', socketPath: '/run/docker.sock' });
    expect(dockerEndpoint('tcp://127.0.0.1')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2375, protocol: 'http' });
    expect(dockerEndpoint('https://[::1]:2376')).toEqual({ kind: 'tcp', host: '::1', port: 2376, protocol: 'https' });
  });

  test('configured: a host given, or the default socket, unless docker.enabled says otherwise', () => {
    const config = (docker: object) => configSchema.parse({ docker });
    expect(dockerConfigured(config({}), () => false)).toBe(false);
    expect(dockerConfigured(config({}), () => true)).toBe(true);
    expect(dockerConfigured(config({ host: 'tcp://127.0.0.1:2375' }), () => false)).toBe(true);
    expect(dockerConfigured(config({ enabled: false }), () => true)).toBe(false);
  });

  test('published ports on loopback; other addresses named as skipped', () => {
    const { endpoints, skipped } = publishedEndpoints([
      { name: 'web', state: 'running', publishedPorts: [
        { ip: '0.0.0.0', publicPort: 8080, privatePort: 80, type: 'tcp' },
        { ip: '::', publicPort: 8080, privatePort: 80, type: 'tcp' },
        { ip: '10.0.0.5', publicPort: 9000, privatePort: 9000, type: 'tcp' },
        { ip: '127.0.0.1', publicPort: 5353, privatePort: 53, type: 'udp' },
      ] },
      { name: 'stopped', state: 'exited', publishedPorts: [{ ip: '0.0.0.0', publicPort: 1, privatePort: 1, type: 'tcp' }] },
    ]);
    expect(endpoints).toEqual([
      { name: 'container:web 80/tcp', host: '127.0.0.1', port: 8080 },
      { name: 'container:web 80/tcp', host: '::1', port: 8080 },
    ]);
    expect(skipped).toEqual(['container:web 9000/tcp (bound to 10.0.0.5)']);
    expect(endpointOfUrl('api', 'http://127.0.0.1/x')).toEqual({ name: 'api', host: '127.0.0.1', port: 80 });
    expect(endpointOfUrl('db', 'postgres://u:secret@[::1]:6432/app')).toEqual({ name: 'db', host: '::1', port: 6432 });
  });

  test('configured services: API, PostgreSQL (each database), PgBouncer and Redis by host:port, once each, no password', () => {
    const config = configSchema.parse({
      api: { baseUrl: 'http://127.0.0.1:8080' },
      database: {
        url: 'postgres://app:pg-secret@127.0.0.1:5433/shop',
        databases: [
          { name: 'billing', url: 'postgres://app:pg-secret@127.0.0.1:5433/billing' },
          { name: 'reports', url: 'postgresql://ro@[::1]/reports' },
        ],
      },
      pgbouncer: { url: 'postgres://pgbouncer:pgb-secret@127.0.0.1:6432/pgbouncer' },
      redis: { url: 'rediss://:redis-secret@127.0.0.1/2' },
    });
    const services = configuredServices(config);
    expect(services).toEqual([
      { name: 'api', host: '127.0.0.1', port: 8080 },
      { name: 'postgres', host: '127.0.0.1', port: 5433 },
      { name: 'postgres:reports', host: '::1', port: 5432 },
      { name: 'pgbouncer', host: '127.0.0.1', port: 6432 },
      { name: 'redis', host: '127.0.0.1', port: 6379 },
    ]);
    expect(JSON.stringify(services)).not.toMatch(/secret/);
    expect(configuredServices(configSchema.parse({}))).toEqual([]);
  });

  test('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([3], 99)).toBe(3);
    expect(percentile([], 50)).toBeNull();
  });
});
