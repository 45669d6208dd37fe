import { gauge } from '../../contracts/metric.js';
import type { SystemMetrics } from '../../contracts/system.js';
import { percentOf } from './counters.js';

/**
 * /proc/sys/fs/file-nr ("allocated  unused  max"): file handles allocated system-wide
 * against the limit. Since Linux 2.6 "unused" is always 0, so allocated is what is in use.
 */
export function fileHandleMetrics(fileNrText: string | null): SystemMetrics['fileHandles'] {
  const fields = (fileNrText ?? '').trim().split(/\s+/).map(Number);
  const allocated = fields.length >= 3 && Number.isFinite(fields[0]) ? (fields[0] ?? null) : null;
  const max = fields.length >= 3 && Number.isFinite(fields[2]) ? (fields[2] ?? null) : null;
  return {
    allocated: gauge(allocated, 'count'),
    max: gauge(max, 'count'),
    usedPercent: gauge(percentOf(allocated, max), '%'),
  };
}
