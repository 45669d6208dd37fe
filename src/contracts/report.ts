import type { Artifacts, PhaseRecord } from './artifact.js';
import type { ComponentId, Finding } from './finding.js';
import type { RuleResult } from './rule.js';
import type { BaselineComparison } from './baseline.js';

export type Assessment = 'EXCELLENT' | 'GOOD' | 'FAIR' | 'POOR' | 'CRITICAL';

export interface ComponentScore {
  /** null when the component is not configured (left out of the health score) */
  score: number | null;
  configured: boolean;
  /** why the score is what it is, in a few words (e.g. "unreachable", "not configured") */
  basis: string;
}

export interface Scores {
  health: number;
  /** the API's own score; present once an API is configured (issue 4) */
  performance?: number;
  components: Record<ComponentId, ComponentScore>;
  /** the weights actually used, rescaled over the configured components; they sum to 1 */
  weights: Partial<Record<ComponentId, number>>;
  /** the specification's weights before rescaling */
  nominalWeights: Record<Exclude<ComponentId, 'api'>, number>;
}

export interface ProfilerCost {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssBytes: number;
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  interrupted: boolean;
  environment: { hostname: string; platform: string; arch: string; cpus: number; node: string; totalMemoryBytes: number };
  /** what was analysed; every secret redacted */
  target: { host: string; components: Record<ComponentId, { configured: boolean; url?: string }> };
  phases: PhaseRecord[];
  /** the facts of every collector that produced any, keyed like Artifacts */
  metrics: { [K in keyof Artifacts]?: NonNullable<Artifacts[K]>['data'] };
  findings: Finding[];
  rules: RuleResult[];
  scores: Scores;
  assessment: Assessment;
  /** why the assessment is what it is, also when it disagrees with the scores ("POOR: 4 critical findings ...; health 79/100") */
  assessmentReason?: string;
  summary: { critical: number; warning: number; info: number; recommendations: number };
  /** what was not measured and why, one line each */
  notMeasured: string[];
  profiler: ProfilerCost;
  /** comparison with an earlier report (--baseline); absent without one */
  baseline?: BaselineComparison;
}

export const REPORT_SCHEMA_VERSION = '1.2.0';
