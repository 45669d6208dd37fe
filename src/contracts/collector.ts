/**
 * What a collector returns. A collector throws when it cannot produce its facts at all
 * (the pipeline records the phase as "error" with the message); it returns `partial`
 * with a reason when it produced facts over less than it was asked to (e.g. a sampling
 * window cut short by Ctrl-C).
 */
export interface CollectorResult<T> {
  data: T;
  partial?: string;
}

export interface CollectorOptions {
  /** aborts on Ctrl-C: stop waiting, take what can be taken, return */
  signal: AbortSignal;
}
