/** Time, behind a port so that rules and tests never read the real clock themselves. */
export interface Clock {
  now(): Date;
  /** monotonic milliseconds with microsecond resolution (process.hrtime.bigint) */
  monotonicMs(): number;
  /** waits `ms`, or less if the signal aborts first; never rejects */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => Number(process.hrtime.bigint()) / 1e6,
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
