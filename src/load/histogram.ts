import type { Histogram } from 'hdr-histogram-js';
import type * as hdr from 'hdr-histogram-js';
import { lazyModule } from '../ports/lazy-module.js';

const loadHdr = lazyModule<typeof hdr>('hdr-histogram-js');
import type { LatencySummary } from '../contracts/load.js';

/** One hour in microseconds: the largest latency tracked exactly; longer ones are recorded as one hour. */
const HIGHEST_US = 3_600_000_000;

/**
 * Latency in microseconds in an HDR histogram (3 significant digits, constant memory).
 * Percentiles come from the histogram, never from averaging percentiles.
 */
export class LatencyRecorder {
  private readonly histogram: Histogram = loadHdr().build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    autoResize: false,
  });

  recordMicros(micros: number): void {
    const value = micros < 1 ? 1 : micros > HIGHEST_US ? HIGHEST_US : Math.round(micros);
    this.histogram.recordValue(value);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    const samples = h.totalCount;
    if (samples === 0) return { samples: 0, p50Ms: null, p90Ms: null, p95Ms: null, p99Ms: null, maxMs: null, meanMs: null };
    const ms = (micros: number) => Math.round(micros) / 1000;
    // a percentile is its bucket's highest equivalent value, which can lie above the exact max
    const at = (percentile: number) => ms(Math.min(h.getValueAtPercentile(percentile), h.maxValue));
    return {
      samples,
      p50Ms: at(50),
      p90Ms: at(90),
      p95Ms: at(95),
      p99Ms: at(99),
      maxMs: ms(h.maxValue),
      meanMs: ms(h.mean),
    };
  }
}
