import { describe, expect, it } from '@jest/globals';
import { saturationAnalysis, saturatedIn, type WindowReadings } from '../../../src/collectors/diagnosis/saturation.js';
import type { ContainerUse, WindowResources } from '../../../src/contracts/diagnosis.js';

const limits = { cpuPercent: 90, eventLoopDelayMs: 50 };
const container = (name: string, change: Partial<ContainerUse> = {}): ContainerUse => ({
  name, cpuPercent: 20, cpuLimitCores: null, cpuLimitPercent: null, throttledPercent: null, memoryBytes: null, memoryLimitPercent: null, ...change,
});
const resources = (change: Partial<WindowResources> = {}): WindowResources => ({
  hostCpuPercent: 40, cores: 2, generator: { cpuPercent: 10, eventLoopDelayP99Ms: 1 }, containers: [], ...change,
});
const window = (concurrency: number, change: Partial<WindowReadings> = {}): WindowReadings => ({
  concurrency, latencyMeanMs: 10, resources: resources(), connections: null, ...change,
});

describe('saturatedIn', () => {
  it('nothing near a limit: nothing saturated', () => {
    expect(saturatedIn(window(2, { resources: resources({ containers: [container('api', { cpuLimitCores: 1, cpuLimitPercent: 50, throttledPercent: 5 })] }) }), limits)).toEqual([]);
  });

  it('a container at 90 % of its CPU limit, or throttled in more than 25 % of its periods', () => {
    const at = saturatedIn(window(2, { resources: resources({ containers: [container('api', { cpuLimitCores: 0.25, cpuLimitPercent: 97 })] }) }), limits);
    expect(at).toEqual([{ resource: 'container-cpu-limit', subject: 'container api', container: 'api', atConcurrency: 2, value: 97, limit: 90, unit: '% of its CPU limit' }]);
    const throttled = saturatedIn(window(2, { resources: resources({ containers: [container('api', { cpuLimitCores: 1, cpuLimitPercent: 60, throttledPercent: 40 })] }) }), limits);
    expect(throttled[0]).toMatchObject({ resource: 'container-cpu-limit', value: 40, limit: 25, unit: '% of CFS periods throttled' });
  });

  it('the host, the generator and the connections, in that order after the target\'s own', () => {
    const all = saturatedIn(
      window(8, {
        resources: resources({ hostCpuPercent: 99, generator: { cpuPercent: 95, eventLoopDelayP99Ms: 1 } }),
        connections: { applicationName: 'shop', maxConnections: 2, maxBusy: 2, allBusyPercent: 80, samples: 30 },
      }),
      limits,
    );
    expect(all.map((entry) => entry.resource)).toEqual(['database-connections', 'host-cpu', 'generator']);
    expect(all[0]!.subject).toBe('the database connections of application "shop"');
    // as many connections as users: they can all be busy without anyone waiting
    expect(saturatedIn(window(2, { connections: { applicationName: 'shop', maxConnections: 2, maxBusy: 2, allBusyPercent: 100, samples: 30 } }), limits)).toEqual([]);
    // the generator's event loop
    expect(saturatedIn(window(2, { resources: resources({ generator: { cpuPercent: 10, eventLoopDelayP99Ms: 80 } }) }), limits)[0]).toMatchObject({ resource: 'generator', unit: 'ms event-loop delay p99' });
  });
});

describe('saturationAnalysis', () => {
  it('latency growth between the windows; what saturated first comes first, listed once', () => {
    const limited = resources({ containers: [container('api', { cpuLimitCores: 0.5, cpuLimitPercent: 95 })] });
    const analysis = saturationAnalysis(
      window(2, { latencyMeanMs: 20, resources: limited }),
      window(8, { latencyMeanMs: 85, resources: { ...limited, hostCpuPercent: 97 } }),
      limits,
    );
    expect(analysis.latencyGrowth).toBe(4.25);
    expect(analysis.saturated.map((entry) => [entry.resource, entry.atConcurrency])).toEqual([
      ['container-cpu-limit', 2],
      ['host-cpu', 8],
    ]);
  });

  it('without a scaling window: no growth, the first window still judged', () => {
    const analysis = saturationAnalysis(window(2, { resources: resources({ hostCpuPercent: 96 }) }), null, limits);
    expect(analysis).toMatchObject({ fromConcurrency: 2, toConcurrency: 2, latencyGrowth: null });
    expect(analysis.saturated).toHaveLength(1);
  });
});

describe('causality against the control window', () => {
  const hog = (cpuPercent: number) => container('zoo-cpuhog', { cpuPercent, cpuLimitCores: 0.5, cpuLimitPercent: cpuPercent / 0.5, throttledPercent: 90 });
  const api = (cpuPercent: number) => container('api', { cpuPercent, cpuLimitCores: 0.25, cpuLimitPercent: cpuPercent / 0.25, throttledPercent: cpuPercent > 20 ? 80 : 0, service: 'web' });
  const driven = window(2, { resources: resources({ containers: [hog(50), api(24.5)] }) });
  const control = { resources: resources({ hostCpuPercent: 30, containers: [hog(50), api(0.5)] }), connections: null };

  it('a container already at its limit before any traffic is background, never a cause; the one our traffic drove there is', () => {
    const analysis = saturationAnalysis(driven, null, limits, { control });
    expect(analysis.saturated.map((entry) => entry.subject)).toEqual(['container api']);
    expect(analysis.notCauses).toEqual([expect.objectContaining({ subject: 'container zoo-cpuhog', why: 'background' })]);
    expect(analysis.notCauses![0]!.detail).toContain('at its CPU limit before any traffic');
    expect(analysis.notCauses![0]!.detail).toContain('not caused by these requests');
    // without a control window both are candidates, as before
    expect(saturationAnalysis(driven, null, limits).saturated.map((entry) => entry.subject)).toEqual(['container zoo-cpuhog', 'container api']);
  });

  it('diagnosis.containers: only the containers (or compose services) that serve the API can be blamed', () => {
    const byService = saturationAnalysis(driven, null, limits, { control: null, serving: ['web'] });
    expect(byService.saturated.map((entry) => entry.subject)).toEqual(['container api']);
    expect(byService.notCauses).toEqual([expect.objectContaining({ subject: 'container zoo-cpuhog', why: 'not-serving' })]);
    expect(saturationAnalysis(driven, null, limits, { control: null, serving: ['ap*'] }).saturated.map((entry) => entry.subject)).toEqual(['container api']);
    expect(saturationAnalysis(driven, null, limits, { control: null, serving: ['db'] }).saturated).toEqual([]);
  });

  it('a container our traffic did not move (at its limit in the window only by a small rise) is not a cause', () => {
    const quiet = { resources: resources({ containers: [container('api', { cpuPercent: 21, cpuLimitCores: 0.25, cpuLimitPercent: 84 })] }), connections: null };
    const analysis = saturationAnalysis(window(2, { resources: resources({ containers: [api(23)] }) }), null, limits, { control: quiet });
    expect(analysis.saturated).toEqual([]);
    expect(analysis.notCauses![0]).toMatchObject({ why: 'not-moved' });
  });

  it('the host: saturated before any traffic is background; not moved by our traffic is not a cause; moved from idle is', () => {
    const busy = window(2, { resources: resources({ hostCpuPercent: 99 }) });
    const at = (hostCpuPercent: number) => saturationAnalysis(busy, null, limits, { control: { resources: resources({ hostCpuPercent }), connections: null } });
    expect(at(97).notCauses![0]).toMatchObject({ resource: 'host-cpu', why: 'background' });
    expect(at(93).notCauses![0]).toMatchObject({ resource: 'host-cpu', why: 'not-moved' });
    expect(at(30).saturated.map((entry) => entry.resource)).toEqual(['host-cpu']);
  });

  it('load that began during the window: the idle period right after it is a second control', () => {
    const busy = window(2, { resources: resources({ hostCpuPercent: 99 }) });
    const quietBefore = { resources: resources({ hostCpuPercent: 30 }), connections: null };
    const judged = (afterCpu: number) => saturationAnalysis(busy, null, limits, { control: quietBefore, afterWindow: resources({ hostCpuPercent: afterCpu }) });
    // still saturated with no traffic of ours: another job's load
    expect(judged(98).saturated).toEqual([]);
    expect(judged(98).notCauses![0]).toMatchObject({ resource: 'host-cpu', why: 'background' });
    expect(judged(98).notCauses![0]!.detail).toContain('right after the window');
    // busy after, within 10 points of the window: not moved by our traffic
    expect(judged(92).notCauses![0]).toMatchObject({ resource: 'host-cpu', why: 'not-moved' });
    // idle after as before: ours
    expect(judged(25).saturated.map((entry) => entry.resource)).toEqual(['host-cpu']);
    // a container that stays at its limit after the window is not ours either, one that drops back is
    const apiDriven = window(2, { resources: resources({ containers: [api(24.5)] }) });
    const apiControl = { resources: resources({ containers: [api(0.5)] }), connections: null };
    const afterApi = (cpu: number) => saturationAnalysis(apiDriven, null, limits, { control: apiControl, afterWindow: resources({ containers: [api(cpu)] }) });
    expect(afterApi(24).notCauses![0]).toMatchObject({ subject: 'container api', why: 'background' });
    expect(afterApi(20).notCauses![0]).toMatchObject({ subject: 'container api', why: 'not-moved' });
    expect(afterApi(0.4).saturated.map((entry) => entry.subject)).toEqual(['container api']);
  });

  it('the application\'s connections all busy with no traffic of ours: background', () => {
    const connections = { applicationName: 'shop', maxConnections: 2, maxBusy: 2, allBusyPercent: 90, samples: 30 };
    const analysis = saturationAnalysis(window(8, { connections }), null, limits, { control: { resources: resources(), connections } });
    expect(analysis.saturated).toEqual([]);
    expect(analysis.notCauses![0]).toMatchObject({ resource: 'database-connections', why: 'background' });
    expect(saturatedIn(window(0, { connections }), limits).map((entry) => entry.resource)).toEqual(['database-connections']);
  });
});
