import { delta, type Metric } from '../../contracts/metric.js';
import type { CpuMetrics } from '../../contracts/system.js';
import { counterDelta, percentOf } from './counters.js';

/** Cumulative ticks (USER_HZ) of one /proc/stat cpu line. guest/guest_nice are already inside user/nice. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface ProcStat {
  total: CpuTimes;
  /** by core number (cpu0, cpu1, ...); offline cores have no line */
  cores: Map<number, CpuTimes>;
}

const CPU_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

function parseCpuLine(fields: string[]): CpuTimes {
  // kernels before 2.6.11 lack steal (and older ones iowait/irq/softirq): missing counts as 0
  const value = (index: number): number => Number(fields[index] ?? 0);
  return {
    user: value(0),
    nice: value(1),
    system: value(2),
    idle: value(3),
    iowait: value(4),
    irq: value(5),
    softirq: value(6),
    steal: value(7),
  };
}

/** The cpu lines of /proc/stat; null when there is no aggregate "cpu" line. */
export function parseProcStat(text: string): ProcStat | null {
  let total: CpuTimes | null = null;
  const cores = new Map<number, CpuTimes>();
  for (const line of text.split('\n')) {
    const [label, ...fields] = line.trim().split(/\s+/);
    if (label === 'cpu') total = parseCpuLine(fields);
    else if (label !== undefined && /^cpu\d+$/.test(label)) cores.set(Number(label.slice(3)), parseCpuLine(fields));
  }
  return total === null ? null : { total, cores };
}

/** Per-field tick deltas and their sum; null when any counter went backwards. */
function tickDeltas(before: CpuTimes, after: CpuTimes): { ticks: CpuTimes; sum: number } | null {
  const ticks = { ...before };
  let sum = 0;
  for (const field of CPU_FIELDS) {
    const change = counterDelta(before[field], after[field]);
    if (change === null) return null;
    ticks[field] = change;
    sum += change;
  }
  return { ticks, sum };
}

/** busy = everything but idle and iowait (iowait is idle time with I/O outstanding); steal counts as busy */
function busyTicks(ticks: CpuTimes): number {
  return ticks.user + ticks.nice + ticks.system + ticks.irq + ticks.softirq + ticks.steal;
}

/** All-null CPU metrics, for when /proc/stat cannot be read. */
export function unmeasuredCpuMetrics(cores: number, windowMs: number): CpuMetrics {
  const none = delta(null, '%', windowMs);
  return {
    totalPercent: none,
    userPercent: none,
    systemPercent: none,
    iowaitPercent: none,
    stealPercent: none,
    perCore: [],
    cores,
  };
}

/**
 * CPU shares over the window from two /proc/stat samples. user includes nice and system
 * includes irq + softirq, so user + system + iowait + steal + idle = 100 %.
 * Returns null when either sample has no cpu line.
 */
export function cpuMetrics(statBefore: string, statAfter: string, windowMs: number): CpuMetrics | null {
  const before = parseProcStat(statBefore);
  const after = parseProcStat(statAfter);
  if (before === null || after === null) return null;

  const percent = (value: number | null): Metric => delta(value, '%', windowMs);
  const total = tickDeltas(before.total, after.total);
  const share = (pick: (t: CpuTimes) => number): Metric =>
    percent(total === null ? null : percentOf(pick(total.ticks), total.sum));

  const perCore: CpuMetrics['perCore'] = [];
  for (const [core, afterTimes] of [...after.cores].sort(([a], [b]) => a - b)) {
    const beforeTimes = before.cores.get(core);
    if (beforeTimes === undefined) continue; // came online during the window
    const deltas = tickDeltas(beforeTimes, afterTimes);
    perCore.push({ core, busyPercent: percent(deltas === null ? null : percentOf(busyTicks(deltas.ticks), deltas.sum)) });
  }

  return {
    totalPercent: share(busyTicks),
    userPercent: share((t) => t.user + t.nice),
    systemPercent: share((t) => t.system + t.irq + t.softirq),
    iowaitPercent: share((t) => t.iowait),
    stealPercent: share((t) => t.steal),
    perCore,
    cores: after.cores.size,
  };
}
