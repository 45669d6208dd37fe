import type { Artifacts } from './artifact.js';
import type { Category, ComponentId, Finding } from './finding.js';
import type { Thresholds } from './thresholds.js';

export interface RuleContext {
  artifacts: Artifacts;
  thresholds: Thresholds;
}

/**
 * A pure function from artifacts to findings: no I/O, no clock, no printing.
 * `evaluate` returns null when the rule is not applicable (its artifact is absent
 * or in error), and an empty list when it passed.
 */
export interface Rule {
  id: string;
  component: ComponentId;
  category: Category;
  description: string;
  evaluate(context: RuleContext): Finding[] | null;
}

/** error: the rule itself threw (a bug in the check, not a finding about the system) */
export type RuleOutcome = 'passed' | 'failed' | 'not-applicable' | 'error';

export interface RuleResult {
  ruleId: string;
  outcome: RuleOutcome;
  findings: number;
  /** why the rule was not applicable, when there is more to say; for an error, what the rule threw */
  reason?: string;
}
