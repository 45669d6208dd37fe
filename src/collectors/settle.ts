/**
 * Counters that settle: a before/after delta read while the server still holds counts it has not
 * published yet is wrong. `readUntilSettled` reads again, a short interval apart, until the
 * caller's test says the reading has settled (two reads agree, and whatever else the caller can
 * cross-check), bounded by a deadline and a cap on reads; the outcome says how long it waited and
 * whether it settled, so the report can lower its confidence when it did not.
 */
import type { SettleRecord } from '../contracts/artifact.js';

export interface SettleOptions {
  /** pause between two reads */
  intervalMs: number;
  /** stop waiting after this long and return the last reading, `settled: false` */
  deadlineMs: number;
  signal: AbortSignal;
}

export interface Settled<T> {
  value: T;
  record: SettleRecord;
}

/**
 * How long a before/after delta of PostgreSQL table counters may wait for them to settle. A busy
 * backend publishes at most once a second (PGSTAT_MIN_INTERVAL, 1 s); one that went idle less than a
 * second after its last flush publishes the rest when its idle timer fires (PGSTAT_IDLE_INTERVAL,
 * 10 s, PostgreSQL 15 src/backend/utils/activity/pgstat.c); a contended stats lock delays it more.
 */
export const STATS_SETTLE_DEADLINE_MS = 15_000;
/** Between two reads of a settling counter: a quarter of the 1 s publish interval. */
export const STATS_SETTLE_INTERVAL_MS = 250;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Reads until `settled(previous, current)` holds for two consecutive reads, or the deadline passes,
 * or the signal aborts. `why(current)` names what is still missing for the record when it did not settle.
 */
export async function readUntilSettled<T>(
  read: () => Promise<T>,
  settled: (previous: T, current: T) => boolean,
  options: SettleOptions,
  why: (current: T) => string = () => 'the counters were still changing',
): Promise<Settled<T>> {
  const started = performance.now();
  const maxReads = Math.ceil(options.deadlineMs / Math.max(1, options.intervalMs)) + 2;
  let previous = await read();
  let reads = 1;
  for (; reads < maxReads; reads++) {
    if (options.signal.aborted) break;
    await sleep(options.intervalMs, options.signal);
    const current = await read();
    const waitedMs = Math.round(performance.now() - started);
    if (settled(previous, current)) return { value: current, record: { settled: true, waitedMs, reads: reads + 1 } };
    previous = current;
    if (waitedMs >= options.deadlineMs) {
      return { value: current, record: { settled: false, waitedMs, reads: reads + 1, reason: `${why(current)} after ${(waitedMs / 1000).toFixed(1)} s` } };
    }
  }
  const waitedMs = Math.round(performance.now() - started);
  return { value: previous, record: { settled: false, waitedMs, reads, reason: options.signal.aborted ? 'interrupted' : why(previous) } };
}
