import { describe, expect, it } from '@jest/globals';
import os from 'node:os';
import { collectSystem } from '../../../src/collectors/system/index.js';
import type { Metric } from '../../../src/contracts/metric.js';
import { systemClock } from '../../../src/ports/clock.js';
import { realHostPort } from '../../../src/ports/host.js';

const onLinux = os.platform() === 'linux';
const ports = { host: realHostPort, clock: systemClock };

function expectPercent(metric: Metric): void {
  expect(metric.unit).toBe('%');
  if (metric.value !== null) {
    expect(metric.value).toBeGreaterThanOrEqual(0);
    expect(metric.value).toBeLessThanOrEqual(100);
  }
}

(onLinux ? describe : describe.skip)('collectSystem on this host', () => {
  it('measures a 0.3 s window with sane values', async () => {
    const { data, partial } = await collectSystem(ports, { sampleSeconds: 0.3, signal: new AbortController().signal });

    expect(partial).toBeUndefined();
    expect(data.windowMs).toBeGreaterThanOrEqual(295);
    expect(data.windowMs).toBeLessThan(1000);
    expect(data.hostname).toBe(os.hostname());
    expect(data.platform).toBe('linux');
    expect(data.cpu.cores).toBe(os.cpus().length);
    expect(data.cpu.perCore).toHaveLength(os.cpus().length);
    expect(data.cpu.totalPercent.value).not.toBeNull();
    for (const metric of [data.cpu.totalPercent, data.cpu.userPercent, data.cpu.systemPercent, data.cpu.iowaitPercent, data.cpu.stealPercent]) {
      expectPercent(metric);
      expect(metric.windowMs).toBe(data.windowMs);
    }
    for (const core of data.cpu.perCore) expectPercent(core.busyPercent);
    expect(data.load.load1.value).not.toBeNull();
    expect(data.memory.totalBytes.value).toBe(os.totalmem());
    expectPercent(data.memory.usedPercent);

    const root = data.mounts.find((mount) => mount.mount === '/');
    expect(root).toBeDefined();
    expectPercent(root!.usedPercent);
    expect(root!.sizeBytes.value).toBeGreaterThan(0);
    for (const mount of data.mounts) expect(['tmpfs', 'overlay', 'proc', 'sysfs', 'squashfs', 'devtmpfs']).not.toContain(mount.fsType);
    for (const disk of data.diskIo) {
      expect(disk.device).not.toMatch(/^(loop|ram)\d+$/);
      expectPercent(disk.utilisationPercent);
    }
    for (const iface of data.network) {
      expectPercent(iface.errorPercent);
      expect(iface.rxBytesPerSec.value).toBeGreaterThanOrEqual(0);
    }
    expectPercent(data.fileHandles.usedPercent);
    expect(data.topProcessesByMemory.length).toBeGreaterThan(0);
    // this test's own process is resident, so it is somewhere in /proc: its RSS is far from zero
    expect(data.topProcessesByMemory[0]!.rssBytes).toBeGreaterThan(1024 * 1024);
  });

  it('cuts the window short when the signal aborts, and says so', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const startedAt = performance.now();
    const { data, partial } = await collectSystem(ports, { sampleSeconds: 5, signal: controller.signal });
    const elapsedMs = performance.now() - startedAt;

    expect(elapsedMs).toBeLessThan(2000);
    expect(data.windowMs).toBeLessThan(1000);
    expect(partial).toBe(`sampling window cut short to ${data.windowMs} ms by interrupt`);
    expect(data.cpu.cores).toBe(os.cpus().length);
  });
});
