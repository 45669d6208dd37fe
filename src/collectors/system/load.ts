import { gauge, type Metric } from '../../contracts/metric.js';
import type { LoadMetrics } from '../../contracts/system.js';
import { round2 } from './counters.js';

/**
 * /proc/loadavg ("0.52 0.58 0.59 2/312 12345"): the kernel's 1, 5 and 15 minute averages
 * of runnable + uninterruptible tasks, and the same divided by the cores. All-null when
 * the text is null or malformed.
 */
export function loadMetrics(loadavgText: string | null, cores: number): LoadMetrics {
  const fields = (loadavgText ?? '').trim().split(/\s+/).slice(0, 3).map(Number);
  const averages = fields.length === 3 && fields.every(Number.isFinite) ? fields : [null, null, null];
  const load = (index: number): Metric => gauge(averages[index] ?? null, 'load');
  const perCore = (index: number): Metric => {
    const value = averages[index];
    return gauge(value === null || value === undefined || cores <= 0 ? null : round2(value / cores), 'load/core');
  };
  return {
    load1: load(0),
    load5: load(1),
    load15: load(2),
    load1PerCore: perCore(0),
    load5PerCore: perCore(1),
    load15PerCore: perCore(2),
  };
}
