/**
 * Helpers shared by the rules: which threshold a value crossed, where the system
 * facts are, and how numbers read in a message. Pure: no I/O, no clock.
 */
import type { Severity } from '../contracts/finding.js';
import type { Metric } from '../contracts/metric.js';
import type { DiskIoMetrics, ProcessSample, SystemMetrics } from '../contracts/system.js';
import { formatBytes } from '../shared/bytes.js';

// Re-exported so that the rules keep importing their text helpers from this one file.
export { formatBytes };

/** The levels a rule compares against. A `normal` key, where a threshold has one, feeds the score only. */
export interface Levels {
  info?: number;
  warning?: number;
  critical?: number;
}

export interface CrossedLevel {
  severity: Severity;
  /** the threshold that was crossed, for the finding's evidence */
  threshold: number;
}

/** The highest level `value` is strictly above, or null. A value exactly at a threshold has not crossed it. */
export function levelAbove(value: number, levels: Levels): CrossedLevel | null {
  if (levels.critical !== undefined && value > levels.critical) return { severity: 'critical', threshold: levels.critical };
  if (levels.warning !== undefined && value > levels.warning) return { severity: 'warning', threshold: levels.warning };
  if (levels.info !== undefined && value > levels.info) return { severity: 'info', threshold: levels.info };
  return null;
}

/** The window a delta metric was measured over, falling back to the collector's sampling window. */
export function windowMsOf(metric: Metric, system: SystemMetrics): number {
  return metric.windowMs ?? system.windowMs;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return rounded === 0 ? 0 : rounded; // no "-0" in a report
}

/** `digits` decimals, rounded like round() (toFixed alone rounds 23.45 down), so a message agrees with its evidence */
export function formatFixed(value: number, digits: number): string {
  return round(value, digits).toFixed(digits);
}

/** "93.1 %" */
export function formatPercent(value: number): string {
  return `${formatFixed(value, 1)} %`;
}

/** "1,048,576": integers with thousands separators, locale fixed so output never depends on the machine */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** "5 s", "2.5 s", "800 ms" */
export function formatWindow(windowMs: number): string {
  if (windowMs < 1000) return `${Math.round(windowMs)} ms`;
  return `${round(windowMs / 1000, 1)} s`;
}

/** "a", "a and b", "a, b and c" */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The `count` heaviest processes by CPU or by resident memory, heaviest first (the input is not trusted to be sorted). */
export function topProcesses(processes: readonly ProcessSample[], by: 'cpu' | 'memory', count = 3): ProcessSample[] {
  const weight = (sample: ProcessSample) => (by === 'cpu' ? sample.cpuPercent : sample.rssBytes);
  return [...processes].sort((a, b) => weight(b) - weight(a)).slice(0, count);
}

/** "node (pid 1234, 180.0 % CPU)" or "postgres (pid 88, 1.2 GiB resident)" */
export function describeProcess(sample: ProcessSample, by: 'cpu' | 'memory'): string {
  const amount = by === 'cpu' ? `${formatPercent(sample.cpuPercent)} CPU` : `${formatBytes(sample.rssBytes)} resident`;
  return `${sample.name} (pid ${sample.pid}, ${amount})`;
}

/** A path as a shell argument: bare when safe, single-quoted otherwise (mount points may contain spaces). */
export function shellArg(path: string): string {
  return /^[\w/.+-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/** Filesystems that are read-only images and always report 100 % full (snap packages, ISO images): never a finding. */
export const ALWAYS_FULL_FILESYSTEMS: ReadonlySet<string> = new Set(['squashfs', 'iso9660', 'udf', 'erofs', 'cramfs']);

/** Whether `path` lives on the filesystem mounted at `mount` (ignoring filesystems mounted below it). */
export function mountHolds(mount: string, path: string): boolean {
  return path === mount || path.startsWith(mount === '/' ? '/' : `${mount}/`);
}

/** "120.0 reads/s, 340.0 writes/s, 5.2 MiB/s read, 20.1 MiB/s written": the traffic behind a device's latency or utilisation */
export function describeDeviceTraffic(device: DiskIoMetrics): string {
  const parts = [
    device.readOpsPerSec.value === null ? null : `${round(device.readOpsPerSec.value, 1)} reads/s`,
    device.writeOpsPerSec.value === null ? null : `${round(device.writeOpsPerSec.value, 1)} writes/s`,
    device.readBytesPerSec.value === null ? null : `${formatBytes(device.readBytesPerSec.value)}/s read`,
    device.writeBytesPerSec.value === null ? null : `${formatBytes(device.writeBytesPerSec.value)}/s written`,
  ];
  return parts.filter((part): part is string => part !== null).join(', ');
}
