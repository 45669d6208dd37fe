import { describe, expect, it } from '@jest/globals';
import { cpuMetrics, parseProcStat } from '../../../src/collectors/system/cpu.js';
import { loadMetrics } from '../../../src/collectors/system/load.js';

// Deltas over the window (total): user 300, nice 20, system 100, idle 1400, iowait 100,
// irq 5, softirq 15, steal 60 = 2000 ticks; busy = 500 (25 %).
// cpu0: user 290, system 60, idle 600, iowait 50 = 1000, busy 350 (35 %).
// cpu1: user 10, nice 20, system 40, idle 800, iowait 50, irq 5, softirq 15, steal 60 = 1000, busy 150 (15 %).
const STAT_BEFORE = `cpu  1000 100 500 8000 200 10 40 150 0 0
cpu0 600 50 250 4000 100 5 20 75 0 0
cpu1 400 50 250 4000 100 5 20 75 0 0
intr 335764 0 0 0
ctxt 949167
btime 1700000000
`;
const STAT_AFTER = `cpu  1300 120 600 9400 300 15 55 210 0 0
cpu0 890 50 310 4600 150 5 20 75 0 0
cpu1 410 70 290 4800 150 10 35 135 0 0
intr 345764 0 0 0
ctxt 959167
btime 1700000000
`;

describe('parseProcStat', () => {
  it('reads the aggregate and per-core lines', () => {
    const stat = parseProcStat(STAT_BEFORE);
    expect(stat?.total).toEqual({ user: 1000, nice: 100, system: 500, idle: 8000, iowait: 200, irq: 10, softirq: 40, steal: 150 });
    expect([...(stat?.cores.keys() ?? [])]).toEqual([0, 1]);
    expect(stat?.cores.get(1)?.user).toBe(400);
  });

  it('treats missing trailing fields of old kernels as zero', () => {
    expect(parseProcStat('cpu 10 20 30 40\n')?.total).toEqual({ user: 10, nice: 20, system: 30, idle: 40, iowait: 0, irq: 0, softirq: 0, steal: 0 });
  });

  it('returns null without an aggregate cpu line', () => {
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
  });
});

describe('cpuMetrics', () => {
  const metrics = cpuMetrics(STAT_BEFORE, STAT_AFTER, 1000);

  it('splits the window into busy, user, system, iowait and steal shares', () => {
    expect(metrics?.totalPercent).toEqual({ value: 25, unit: '%', sampling: 'delta', windowMs: 1000 });
    expect(metrics?.userPercent.value).toBe(16);
    expect(metrics?.systemPercent.value).toBe(6);
    expect(metrics?.iowaitPercent.value).toBe(5);
    expect(metrics?.stealPercent.value).toBe(3);
    expect(metrics?.cores).toBe(2);
  });

  it('gives each core its own busy share', () => {
    expect(metrics?.perCore.map((core) => [core.core, core.busyPercent.value])).toEqual([
      [0, 35],
      [1, 15],
    ]);
  });

  it('skips a core that came online during the window', () => {
    const after = `${STAT_AFTER}cpu2 10 0 10 80 0 0 0 0 0 0\n`;
    expect(cpuMetrics(STAT_BEFORE, after, 1000)?.perCore.map((core) => core.core)).toEqual([0, 1]);
  });

  it('reports null, not a negative share, when counters went backwards', () => {
    const reset = cpuMetrics(STAT_AFTER, STAT_BEFORE, 1000);
    expect(reset?.totalPercent.value).toBeNull();
    expect(reset?.perCore[0]?.busyPercent.value).toBeNull();
  });

  it('reports null when no tick passed (window too short to measure)', () => {
    expect(cpuMetrics(STAT_BEFORE, STAT_BEFORE, 5)?.totalPercent.value).toBeNull();
  });

  it('returns null when a sample is not /proc/stat', () => {
    expect(cpuMetrics('', STAT_AFTER, 1000)).toBeNull();
  });
});

describe('loadMetrics', () => {
  it('reads the three averages and divides them by the cores', () => {
    const load = loadMetrics('3.00 1.50 0.75 2/312 12345\n', 2);
    expect(load.load1).toEqual({ value: 3, unit: 'load', sampling: 'gauge' });
    expect(load.load5.value).toBe(1.5);
    expect(load.load15.value).toBe(0.75);
    expect(load.load1PerCore).toEqual({ value: 1.5, unit: 'load/core', sampling: 'gauge' });
    expect(load.load5PerCore.value).toBe(0.75);
    expect(load.load15PerCore.value).toBe(0.38);
  });

  it('is all null when /proc/loadavg could not be read or is malformed', () => {
    for (const text of [null, '', 'not a loadavg line']) {
      const load = loadMetrics(text, 2);
      expect([load.load1.value, load.load5PerCore.value, load.load15.value]).toEqual([null, null, null]);
    }
  });
});
