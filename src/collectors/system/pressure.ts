import { gauge } from '../../contracts/metric.js';
import type { PressureMetrics } from '../../contracts/system.js';

/**
 * "some avg10" of a /proc/pressure/<resource> file: the share of the last 10 s in which
 * at least one task stalled on that resource. null when absent or malformed.
 */
export function parseSomeAvg10(text: string | null): number | null {
  const match = /^some\b.*\bavg10=(\d+(?:\.\d+)?)/m.exec(text ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Pressure (PSI) metrics; null when none of the three files could be read (kernel without PSI). */
export function pressureMetrics(cpu: string | null, memory: string | null, io: string | null): PressureMetrics | null {
  if (cpu === null && memory === null && io === null) return null;
  return {
    cpuSomeAvg10: gauge(parseSomeAvg10(cpu), '%'),
    memorySomeAvg10: gauge(parseSomeAvg10(memory), '%'),
    ioSomeAvg10: gauge(parseSomeAvg10(io), '%'),
  };
}
