import type { SystemMetrics } from './system.js';
import type { PgBouncerMetrics, PostgresMetrics } from './postgres.js';
import type { RedisMetrics } from './redis.js';
import type { ApiMetrics } from './api.js';
import type { LoadMetrics } from './load.js';
import type { DockerMetrics } from './docker.js';
import type { DiagnosisMetrics } from './diagnosis.js';

export type PhaseId = 'prerequisites' | 'system' | 'docker' | 'database' | 'api' | 'insights' | 'report';
export const PHASE_ORDER: readonly PhaseId[] = [
  'prerequisites',
  'system',
  'docker',
  'database',
  'api',
  'insights',
  'report',
];

export type PhaseStatus = 'ok' | 'skipped' | 'error' | 'partial';

/** What a phase cost the profiler itself (issue 2, item 10). */
export interface PhaseCost {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** resident set size when the phase ended */
  rssBytes: number;
}

export interface PhaseRecord {
  id: PhaseId;
  status: PhaseStatus;
  durationMs: number;
  reason?: string;
  cost: PhaseCost;
}

/**
 * How a before/after delta waited for the server to publish its counters: `settled: false`
 * means the deadline passed while they still moved or still missed what the cross-check expected,
 * and the numbers built on them carry a lower confidence.
 */
export interface SettleRecord {
  settled: boolean;
  waitedMs: number;
  reads: number;
  /** why it did not settle */
  reason?: string;
}

/** A check the prerequisites phase made, with its timing. */
export interface PrerequisiteCheck {
  id: string;
  ok: boolean;
  durationMs: number;
  detail: string;
}

export interface PrerequisitesMetrics {
  checks: PrerequisiteCheck[];
}

/**
 * The facts one collector gathered. `status: "error"` carries a reason and no data;
 * rules that need it become not-applicable (DESIGN.md section 2).
 */
export interface Artifact<T> {
  status: PhaseStatus;
  durationMs: number;
  error?: string;
  data?: T;
}

/** Every artifact a run can hold, by collector id. Later issues add docker, postgres, redis, api, load. */
export interface Artifacts {
  prerequisites?: Artifact<PrerequisitesMetrics>;
  system?: Artifact<SystemMetrics>;
  postgres?: Artifact<PostgresMetrics>;
  pgbouncer?: Artifact<PgBouncerMetrics>;
  redis?: Artifact<RedisMetrics>;
  api?: Artifact<ApiMetrics>;
  load?: Artifact<LoadMetrics>;
  docker?: Artifact<DockerMetrics>;
  diagnosis?: Artifact<DiagnosisMetrics>;
}
