export type Severity = 'critical' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };

export type Category = 'availability' | 'cpu' | 'memory' | 'disk' | 'network' | 'system' | 'database' | 'cache' | 'api' | 'container' | 'regression';

/** A score component of the health score (DESIGN.md section 4, Scores). */
export type ComponentId = 'database' | 'system' | 'cache' | 'api';

export interface Evidence {
  metric: string;
  value: number | string | null;
  unit: string;
  /** the threshold that was crossed */
  threshold: number | string | null;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  /** the exact thing the finding is about, as kind:name, e.g. host:disk:/ */
  subject: string;
  title: string;
  message: string;
  evidence: Evidence;
  recommendation: string;
  /** root-cause findings (diagnosis-root-cause): what removing the cause would save per request, an estimate; root causes are ordered by it */
  estimatedSavingMsPerRequest?: number;
  /** root-cause findings: where the endpoint's mean time per request goes, ms (null: not observed) */
  breakdown?: { meanMs: number; databaseMs: number | null; cacheMs: number | null; otherMs: number };
}
