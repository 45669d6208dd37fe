import type { Artifacts, PhaseId } from './artifact.js';
import type { ComponentId } from './finding.js';
import type { Config } from '../config/schema.js';
import type { Ports } from '../ports/index.js';

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

export interface CollectorContext extends CollectorOptions {
  config: Config;
  ports: Ports;
  /** progress of a long collector; absent when nobody shows it */
  onProgress?: (progress: CollectorProgress) => void;
}

export type ArtifactId = keyof Artifacts;
export type ArtifactData<K extends ArtifactId> = NonNullable<Artifacts[K]>['data'];

/**
 * One source of facts: one file (or folder) under src/collectors and one line in
 * src/collectors/index.ts. The phase it belongs to runs it when `configured` says so;
 * otherwise the phase records "not configured".
 */
export interface Collector<K extends ArtifactId = ArtifactId> {
  id: K;
  phase: Exclude<PhaseId, 'prerequisites' | 'insights' | 'report'>;
  /** the health-score component its facts feed */
  component: ComponentId;
  /** what it is, for people: "PostgreSQL", "Redis", "Host resources" */
  label: string;
  configured(config: Config): boolean;
  /**
   * Runs after the other collectors of its phase have finished, alone: a load test would
   * otherwise distort the timings measured beside it.
   */
  exclusive?: boolean;
  /** why it is not configured, for the phase record (default "not configured"); should start with "not configured" */
  skipReason?(config: Config): string;
  /** the target, secrets redacted, for the report's `target` (e.g. postgres://app@db:5432/shop) */
  describeTarget?(config: Config): string;
  /** a quick reachability check for the prerequisites phase; throws with a reason when unreachable */
  probe?(context: CollectorContext): Promise<string>;
  collect(context: CollectorContext): Promise<CollectorResult<NonNullable<ArtifactData<K>>>>;
}
