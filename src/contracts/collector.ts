import type { Artifacts } from './artifact.js';

/**
 * What a collector returns. A collector throws when it cannot produce its facts at all
 * (the artifact becomes status "error" with the message); it returns `partial` with a
 * reason when it produced facts over less than it was asked to (e.g. a sampling window
 * cut short by Ctrl-C).
 */
export interface CollectorResult<T> {
  data: T;
  partial?: string;
  /**
   * The target could not be measured at all (e.g. nothing listens at api.baseUrl): the artifact and
   * its phase are `error` with this reason, never `ok`; the data is kept for the finding that says so.
   */
  failed?: string;
}

export interface CollectorOptions {
  /** aborts on Ctrl-C: stop waiting, take what can be taken, return */
  signal: AbortSignal;
}

/**
 * Progress of a long collector (the load test), for the terminal: a bar on a TTY, one plain
 * line per finished step otherwise. Never carries a secret.
 */
export interface CollectorProgress {
  /** the collector's id, e.g. "load" */
  collector: string;
  /** the step under way: "25 users", "200 requests/s" */
  step: string;
  /** 1-based position of the step among `steps` (the ladder's levels, then the rates) */
  index: number;
  steps: number;
  elapsedMs: number;
  plannedMs: number;
  requests: number;
  errors: number;
  /** set once, when the step finished: its outcome in one line ("1,234 requests/s, p95 12.3 ms, 0.0 % errors") */
  done?: string;
}

export type ArtifactId = keyof Artifacts;
export type ArtifactData<K extends ArtifactId> = NonNullable<Artifacts[K]>['data'];
