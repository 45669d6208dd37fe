import type { Histogram } from 'hdr-histogram-js';
import type * as hdr from 'hdr-histogram-js';
import { lazyModule } from '../ports/lazy-module.js';

const loadHdr = lazyModule<typeof hdr>('hdr-histogram-js');
import type { LatencySummary } from '../contracts/load.js';

const toMs = (micros: number) => Math.round(micros) / 1000;

/** One hour in microseconds: the largest latency tracked exactly; longer ones are recorded as one hour. */
const HIGHEST_US = 3_600_000_000;

/**
 * Latency in microseconds in an HDR histogram (3 significant digits, constant memory).
 * Percentiles come from the histogram, never from averaging percentiles. The one histogram of the
 * project: the load test, the API phase's timings and the Redis PING latency record into it.
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

  /** a percentile in ms (µs resolution), never above the exact max; null without samples */
  percentileMs(percentile: number): number | null {
    const h = this.histogram;
    // a percentile is its bucket's highest equivalent value, which can lie above the exact max
    return h.totalCount === 0 ? null : toMs(Math.min(h.getValueAtPercentile(percentile), h.maxValue));
  }

  get minMs(): number | null {
    return this.histogram.totalCount === 0 ? null : toMs(this.histogram.minNonZeroValue);
  }

  get maxMs(): number | null {
    return this.histogram.totalCount === 0 ? null : toMs(this.histogram.maxValue);
  }

  summary(): LatencySummary {
    const h = this.histogram;
    const samples = h.totalCount;
    if (samples === 0) return { samples: 0, p50Ms: null, p90Ms: null, p95Ms: null, p99Ms: null, maxMs: null, meanMs: null };
    return {
      samples,
      p50Ms: this.percentileMs(50),
      p90Ms: this.percentileMs(90),
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      maxMs: this.maxMs,
      meanMs: toMs(h.mean),
    };
  }
}
