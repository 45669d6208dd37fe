import { delta, gauge, type Metric } from '../../contracts/metric.js';
import type { MemoryMetrics } from '../../contracts/system.js';
import { counterDelta, parseKeyValueNumbers, percentOf, ratePerSecond } from './counters.js';

const KIB = 1024;

/**
 * Memory at the end of the window from /proc/meminfo, swap traffic over the window from
 * the pswpin/pswpout counters of /proc/vmstat. Anything missing is null.
 */
export function memoryMetrics(
  meminfoText: string | null,
  vmstatBefore: string | null,
  vmstatAfter: string | null,
  windowMs: number,
): MemoryMetrics {
  const meminfo = parseKeyValueNumbers(meminfoText ?? '');
  const kib = (key: string): number | null => {
    const value = meminfo.get(key);
    return value === undefined ? null : value * KIB;
  };

  const total = kib('MemTotal');
  // MemAvailable exists since Linux 3.14; before that free + buffers + page cache is the usual estimate
  let available = kib('MemAvailable');
  if (available === null) {
    const free = kib('MemFree');
    if (free !== null) available = free + (kib('Buffers') ?? 0) + (kib('Cached') ?? 0);
  }
  const used = total !== null && available !== null ? total - available : null;
  const swapTotal = kib('SwapTotal');
  const swapFree = kib('SwapFree');
  const swapUsed = swapTotal !== null && swapFree !== null ? swapTotal - swapFree : null;

  const before = parseKeyValueNumbers(vmstatBefore ?? '');
  const after = parseKeyValueNumbers(vmstatAfter ?? '');
  const pagesPerSecond = (key: string): Metric => {
    const start = before.get(key);
    const end = after.get(key);
    const rate = start === undefined || end === undefined ? null : ratePerSecond(start, end, windowMs);
    return delta(rate, 'pages/s', windowMs);
  };

  return {
    totalBytes: gauge(total, 'bytes'),
    usedBytes: gauge(used, 'bytes'),
    availableBytes: gauge(available, 'bytes'),
    usedPercent: gauge(percentOf(used, total), '%'),
    swapTotalBytes: gauge(swapTotal, 'bytes'),
    swapUsedBytes: gauge(swapUsed, 'bytes'),
    swapInPagesPerSec: pagesPerSecond('pswpin'),
    swapOutPagesPerSec: pagesPerSecond('pswpout'),
  };
}

/** OOM kills during the window from the oom_kill counter of /proc/vmstat (Linux 4.13+); null when absent. */
export function oomKillsDuringWindow(vmstatBefore: string | null, vmstatAfter: string | null, windowMs: number): Metric {
  const start = parseKeyValueNumbers(vmstatBefore ?? '').get('oom_kill');
  const end = parseKeyValueNumbers(vmstatAfter ?? '').get('oom_kill');
  const kills = start === undefined || end === undefined ? null : counterDelta(start, end);
  return delta(kills, 'count', windowMs);
}

/** Whether this /proc/vmstat counts OOM kills at all (so a null can be explained in the notes). */
export function vmstatHasOomKill(vmstatText: string | null): boolean {
  return parseKeyValueNumbers(vmstatText ?? '').has('oom_kill');
}
