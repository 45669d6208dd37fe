import { delta, type Metric } from '../../contracts/metric.js';
import type { DiskIoMetrics } from '../../contracts/system.js';
import { counterDelta, percentOf, ratePerSecond, round2 } from './counters.js';

/** /proc/diskstats counts sectors of 512 bytes whatever the device's real sector size. */
const SECTOR_BYTES = 512;

/** The cumulative counters of one /proc/diskstats line (Documentation/admin-guide/iostats.rst). */
export interface DiskCounters {
  readsCompleted: number;
  sectorsRead: number;
  msReading: number;
  writesCompleted: number;
  sectorsWritten: number;
  msWriting: number;
  /** ms during which the device had I/O in flight */
  ioTicksMs: number;
}

export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const disks = new Map<string, DiskCounters>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const name = fields[2];
    if (name === undefined || fields.length < 14) continue;
    const n = (index: number): number => Number(fields[index]);
    disks.set(name, {
      readsCompleted: n(3),
      sectorsRead: n(5),
      msReading: n(6),
      writesCompleted: n(7),
      sectorsWritten: n(9),
      msWriting: n(10),
      ioTicksMs: n(12),
    });
  }
  return disks;
}

/** loop devices, RAM disks and zram (compressed RAM) are memory, not disks */
export function isVirtualBlockDevice(name: string): boolean {
  return /^(loop|ram|zram)\d+$/.test(name);
}

/** Partition names, for when /sys/block cannot be listed to tell whole disks apart. */
function looksLikePartition(name: string): boolean {
  return /^(sd|hd|vd|xvd)[a-z]+\d+$/.test(name) || /^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(name);
}

function neverUsed(counters: DiskCounters): boolean {
  return counters.readsCompleted === 0 && counters.writesCompleted === 0 && counters.ioTicksMs === 0;
}

/**
 * Throughput, IOPS, await and utilisation of each whole disk over the window.
 * `wholeDisks` is the listing of /sys/block (partitions would count their disk's I/O twice);
 * null falls back to recognising partition names. Loop/RAM devices and devices that never
 * did any I/O are left out.
 */
export function diskIoMetrics(
  diskstatsBefore: string,
  diskstatsAfter: string,
  windowMs: number,
  wholeDisks: ReadonlySet<string> | null,
): DiskIoMetrics[] {
  const before = parseDiskstats(diskstatsBefore);
  const after = parseDiskstats(diskstatsAfter);
  const metrics: DiskIoMetrics[] = [];
  for (const [device, end] of after) {
    const start = before.get(device);
    if (start === undefined || isVirtualBlockDevice(device) || neverUsed(end)) continue;
    if (wholeDisks !== null ? !wholeDisks.has(device) : looksLikePartition(device)) continue;

    const rate = (pick: (c: DiskCounters) => number, scale: number, unit: string): Metric => {
      return delta(ratePerSecond(pick(start) * scale, pick(end) * scale, windowMs), unit, windowMs);
    };
    const ios = counterDelta(start.readsCompleted + start.writesCompleted, end.readsCompleted + end.writesCompleted);
    const ioMs = counterDelta(start.msReading + start.msWriting, end.msReading + end.msWriting);
    // no I/O completed in the window: there is no latency to report, so await is null, not 0
    const awaitMs = ios === null || ioMs === null || ios === 0 ? null : round2(ioMs / ios);
    const busyMs = counterDelta(start.ioTicksMs, end.ioTicksMs);
    // io_ticks is updated in jiffies, so it can overshoot a short window slightly
    const utilisation = percentOf(busyMs, windowMs);

    metrics.push({
      device,
      readBytesPerSec: rate((c) => c.sectorsRead, SECTOR_BYTES, 'bytes/s'),
      writeBytesPerSec: rate((c) => c.sectorsWritten, SECTOR_BYTES, 'bytes/s'),
      readOpsPerSec: rate((c) => c.readsCompleted, 1, 'ops/s'),
      writeOpsPerSec: rate((c) => c.writesCompleted, 1, 'ops/s'),
      awaitMs: delta(awaitMs, 'ms', windowMs),
      utilisationPercent: delta(utilisation === null ? null : Math.min(100, utilisation), '%', windowMs),
    });
  }
  return metrics;
}
