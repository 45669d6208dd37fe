import type { Severity } from './finding.js';

/**
 * How a metric's change is judged. `higher-is-worse` (latency, utilisation, errors),
 * `lower-is-worse` (hit ratios, throughput, free space), `neutral` (sizes, traffic volume,
 * counters since boot): shown with its change, never called a regression.
 */
export type Direction = 'higher-is-worse' | 'lower-is-worse' | 'neutral';

/**
 * regression / improvement: a change in the worse / better direction beyond the noise;
 * unchanged: within the noise; neutral: not judged (see Direction); added / removed: in one
 * report only; not-comparable: a value is null or the units differ.
 */
export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'neutral' | 'added' | 'removed' | 'not-comparable';

export interface MetricChange {
  /** the metric's id: its path in report.metrics, array items named by their key, e.g. system.mounts[mount=/].usedPercent */
  metric: string;
  unit: string;
  old: number | null;
  new: number | null;
  /** new - old, in the unit */
  change: number | null;
  /** (new - old) / |old| * 100; null when old is 0 or either is null */
  changePercent: number | null;
  direction: Direction;
  verdict: Verdict;
  /** the smallest change that counts, in the unit, and how it was derived (e.g. "max(5 %, 20 % of old)", "3 standard errors of p95 from 1200 / 1180 samples") */
  noise: number | null;
  basis: string;
  /** sample counts behind old and new, for percentiles */
  samples?: { old: number; new: number };
}

/** A finding as the comparison names it: rule and subject identify it across runs. */
export interface FindingRef {
  ruleId: string;
  subject: string;
  severity: Severity;
  title: string;
  /** unchanged findings whose severity moved: the baseline's severity */
  previousSeverity?: Severity;
}

export interface BaselineComparison {
  /** the baseline report: file (as given or found), when it started, its schema version */
  file: string;
  startedAt: string;
  schemaVersion: string;
  /** tolerances the comparison used */
  tolerance: { relativePercent: number; absolute: Record<string, number>; confidenceZ: number; percentileMinChangePercent: number };
  /** every metric in either report, in report order */
  metrics: MetricChange[];
  findings: { new: FindingRef[]; resolved: FindingRef[]; unchanged: FindingRef[] };
  /** ids of the metrics whose verdict is regression / improvement */
  regressions: string[];
  improvements: string[];
  summary: { compared: number; regressions: number; improvements: number; unchanged: number; neutral: number; added: number; removed: number; notComparable: number };
}
