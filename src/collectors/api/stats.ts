/** Latency recording for the API phase: the load test's HDR recorder (µs, constant memory, no averaged percentiles). */
import type { LatencySummary } from '../../contracts/api.js';
import { LatencyRecorder } from '../../load/histogram.js';

export function newHistogram(): LatencyRecorder {
  return new LatencyRecorder();
}

export function recordMs(histogram: LatencyRecorder, ms: number): void {
  histogram.recordMicros(ms * 1000);
}

export function summarize(histogram: LatencyRecorder): LatencySummary {
  const samples = histogram.count;
  if (samples === 0) return { samples: 0, unit: 'ms', minMs: null, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
  return {
    samples,
    unit: 'ms',
    minMs: histogram.minMs,
    p50Ms: histogram.percentileMs(50),
    p95Ms: histogram.percentileMs(95),
    p99Ms: histogram.percentileMs(99),
    maxMs: histogram.maxMs,
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
