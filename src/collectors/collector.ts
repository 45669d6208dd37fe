import type { Config } from '../config/schema.js';
import type { PhaseId } from '../contracts/artifact.js';
import type { ArtifactData, ArtifactId, CollectorOptions, CollectorProgress, CollectorResult } from '../contracts/collector.js';
import type { ComponentId } from '../contracts/finding.js';
import type { Ports } from '../ports/index.js';

// The wiring between run.ts and a collector: it names the whole configuration and every port,
// so it lives here rather than in src/contracts, which imports nothing outside itself.

export interface CollectorContext extends CollectorOptions {
  config: Config;
  ports: Ports;
  /** progress of a long collector; absent when nobody shows it */
  onProgress?: (progress: CollectorProgress) => void;
}

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
