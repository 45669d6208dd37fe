/**
 * Deadlines: no wait of the run is unbounded. `withDeadline` runs work with its own AbortSignal
 * (aborted when the deadline passes or the run is interrupted) and stops waiting for it a short
 * grace later, even if the work ignores its signal: a hung socket or file system cannot hold the run.
 */
import { errorMessage } from '../shared/errors.js';

/** A deadline passed: the message names what was waited on and for how long. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(
    readonly what: string,
    readonly deadlineMs: number,
  ) {
    super(`${what} did not finish within its deadline of ${formatSeconds(deadlineMs)}`);
  }
}

/** The run was interrupted and the work did not stop within the grace period. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly what: string) {
    super(`interrupted while waiting for ${what}`);
  }
}

export interface DeadlineOptions {
  /** what is waited on, for the reason: "the PostgreSQL collector (postgres://app@db/shop)" */
  what: string;
  deadlineMs: number;
  /** the run's signal (Ctrl-C): aborts the work's signal too */
  signal?: AbortSignal;
  /**
   * How long work may take to return after its signal was aborted (deadline or interrupt), so that
   * it can hand back what it has; after that the wait ends regardless.
   */
  graceMs?: number;
}

/** Time a collector gets after Ctrl-C or its deadline to return what it has. */
export const DEFAULT_GRACE_MS = 2000;

/** What the work returned, and whether its signal had been aborted (it may hold less than asked for). */
export interface DeadlineResult<T> {
  value: T;
  /** the work returned after its signal was aborted: by its deadline or by an interrupt */
  cutShort: DeadlineError | InterruptedError | null;
}

/**
 * Runs `work` under a deadline. Resolves with what it returned (and whether it was cut short);
 * rejects with DeadlineError / InterruptedError when it did not return within the grace period.
 */
export async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, options: DeadlineOptions): Promise<DeadlineResult<T>> {
  const controller = new AbortController();
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let cutShort: DeadlineError | InterruptedError | null = null;

  const giveUp = new Promise<never>((_resolve, reject) => {
    const startGrace = (error: DeadlineError | InterruptedError) => {
      if (graceTimer) return;
      cutShort = error;
      controller.abort(error);
      graceTimer = setTimeout(() => reject(error), graceMs);
    };
    deadlineTimer = setTimeout(() => startGrace(new DeadlineError(options.what, options.deadlineMs)), options.deadlineMs);
    if (options.signal) {
      onAbort = () => startGrace(new InterruptedError(options.what));
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  giveUp.catch(() => undefined);

  try {
    const value = await Promise.race([work(controller.signal), giveUp]);
    return { value, cutShort };
  } catch (error) {
    // work that failed because its deadline aborted it: the deadline is the reason, the failure the detail
    const stoppedBy = cutShort as DeadlineError | InterruptedError | null;
    if (stoppedBy && error !== stoppedBy) {
      stoppedBy.message += ` (${errorMessage(error)})`;
      throw stoppedBy;
    }
    throw error;
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(graceTimer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
