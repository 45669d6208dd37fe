/** Latency recording: an HDR histogram in microseconds (constant memory, no averaged percentiles). */
import type * as hdr from 'hdr-histogram-js';
import { lazyModule } from '../../ports/lazy-module.js';

const loadHdr = lazyModule<typeof hdr>('hdr-histogram-js');
import type { LatencySummary } from '../../contracts/api.js';

/** 1 µs to 1 hour, 3 significant digits (0.1 % resolution: 50 µs at 50 ms). */
export function newHistogram(): hdr.Histogram {
  return loadHdr().build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

export function recordMs(histogram: hdr.Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

const toMs = (micros: number) => Math.round(micros) / 1000;

export function summarize(histogram: hdr.Histogram): LatencySummary {
  const samples = histogram.totalCount;
  if (samples === 0) return { samples: 0, unit: 'ms', minMs: null, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
  // a percentile is its bucket's highest equivalent value, which can lie above the exact max
  const at = (percentile: number) => toMs(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue));
  return {
    samples,
    unit: 'ms',
    minMs: toMs(histogram.minNonZeroValue),
    p50Ms: at(50),
    p95Ms: at(95),
    p99Ms: at(99),
    maxMs: toMs(histogram.maxValue),
  };
}

/** The median of a short list (timing phases, body sizes); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const round3 = (value: number) => Math.round(value * 1000) / 1000;
