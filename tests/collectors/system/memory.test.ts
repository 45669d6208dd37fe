import { describe, expect, it } from '@jest/globals';
import { fileHandleMetrics } from '../../../src/collectors/system/file-handles.js';
import { memoryMetrics, oomKillsDuringWindow, vmstatHasOomKill } from '../../../src/collectors/system/memory.js';
import { parseSomeAvg10, pressureMetrics } from '../../../src/collectors/system/pressure.js';

const MEMINFO = `MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    2000000 kB
Buffers:          100000 kB
Cached:           900000 kB
Active(anon):      25676 kB
SwapTotal:       1000000 kB
SwapFree:         750000 kB
`;
const VMSTAT_BEFORE = 'nr_free_pages 250000\npswpin 100\npswpout 200\noom_kill 3\n';
const VMSTAT_AFTER = 'nr_free_pages 240000\npswpin 150\npswpout 400\noom_kill 5\n';

describe('memoryMetrics', () => {
  const memory = memoryMetrics(MEMINFO, VMSTAT_BEFORE, VMSTAT_AFTER, 2000);

  it('reads memory and swap in bytes, used = total - available', () => {
    expect(memory.totalBytes).toEqual({ value: 8_192_000_000, unit: 'bytes', sampling: 'gauge' });
    expect(memory.availableBytes.value).toBe(2_048_000_000);
    expect(memory.usedBytes.value).toBe(6_144_000_000);
    expect(memory.usedPercent).toEqual({ value: 75, unit: '%', sampling: 'gauge' });
    expect(memory.swapTotalBytes.value).toBe(1_024_000_000);
    expect(memory.swapUsedBytes.value).toBe(256_000_000);
  });

  it('turns the swap counters into pages per second over the window', () => {
    expect(memory.swapInPagesPerSec).toEqual({ value: 25, unit: 'pages/s', sampling: 'delta', windowMs: 2000 });
    expect(memory.swapOutPagesPerSec.value).toBe(100);
  });

  it('estimates available memory on kernels without MemAvailable', () => {
    const old = memoryMetrics(MEMINFO.replace(/MemAvailable.*\n/, ''), null, null, 2000);
    expect(old.availableBytes.value).toBe(2_048_000_000);
    expect(old.usedPercent.value).toBe(75);
    expect(old.swapInPagesPerSec.value).toBeNull();
  });

  it('is null where nothing could be read', () => {
    const none = memoryMetrics(null, null, null, 2000);
    expect([none.totalBytes.value, none.usedPercent.value, none.swapUsedBytes.value]).toEqual([null, null, null]);
  });
});

describe('oomKillsDuringWindow', () => {
  it('counts the kills between the two samples', () => {
    expect(oomKillsDuringWindow(VMSTAT_BEFORE, VMSTAT_AFTER, 2000)).toEqual({ value: 2, unit: 'count', sampling: 'delta', windowMs: 2000 });
  });

  it('is null where the kernel does not count OOM kills', () => {
    const old = 'pswpin 1\npswpout 2\n';
    expect(oomKillsDuringWindow(old, old, 2000).value).toBeNull();
    expect(vmstatHasOomKill(old)).toBe(false);
    expect(vmstatHasOomKill(VMSTAT_AFTER)).toBe(true);
  });
});

describe('pressure', () => {
  const CPU = 'some avg10=12.34 avg60=5.00 avg300=1.00 total=8455566\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n';
  const IO = 'some avg10=0.50 avg60=0.10 avg300=0.00 total=1\nfull avg10=0.25 avg60=0.00 avg300=0.00 total=0\n';

  it('reads "some avg10"', () => {
    expect(parseSomeAvg10(CPU)).toBe(12.34);
    expect(parseSomeAvg10('full avg10=3.00 avg60=0 avg300=0 total=0\n')).toBeNull();
  });

  it('builds gauges, null per missing file, and null overall without PSI', () => {
    const pressure = pressureMetrics(CPU, null, IO);
    expect(pressure?.cpuSomeAvg10).toEqual({ value: 12.34, unit: '%', sampling: 'gauge' });
    expect(pressure?.memorySomeAvg10.value).toBeNull();
    expect(pressure?.ioSomeAvg10.value).toBe(0.5);
    expect(pressureMetrics(null, null, null)).toBeNull();
  });
});

describe('fileHandleMetrics', () => {
  it('reads allocated and max from file-nr', () => {
    const handles = fileHandleMetrics('4500\t0\t10000\n');
    expect(handles.allocated).toEqual({ value: 4500, unit: 'count', sampling: 'gauge' });
    expect(handles.max.value).toBe(10000);
    expect(handles.usedPercent.value).toBe(45);
  });

  it('is null when file-nr could not be read', () => {
    const handles = fileHandleMetrics(null);
    expect([handles.allocated.value, handles.max.value, handles.usedPercent.value]).toEqual([null, null, null]);
  });
});
