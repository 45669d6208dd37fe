import type { Artifacts } from './artifact.js';
import type { Category, ComponentId, Finding } from './finding.js';
import type { Thresholds } from './thresholds.js';

/** The name of an artifact a rule can require: `system`, `postgres`, `redis`, `api`, `load`, `diagnosis`, ... */
export type ArtifactKey = keyof Artifacts;

/** The facts a collector produced for an artifact (an artifact's `data`, never undefined). */
export type ArtifactData<Key extends ArtifactKey> = NonNullable<NonNullable<Artifacts[Key]>['data']>;

/**
 * A finding as a rule reports it: the engine adds `ruleId`, and `category` when the rule leaves it
 * out (the rule's own category; a rule whose findings differ in category names it per finding).
 */
export type FindingReport = Omit<Finding, 'ruleId' | 'category'> & { category?: Category };

/** What `check` returns when, with its artifacts present, the rule still has nothing to judge (a value not measured). */
export const NOT_APPLICABLE = 'not-applicable';
export type NotApplicable = typeof NOT_APPLICABLE;

export interface RuleContext<Key extends ArtifactKey = ArtifactKey, OptionalKey extends ArtifactKey = never> {
  /**
   * The data of each artifact the rule requires (the engine calls the rule only when every one was collected),
   * and of each artifact it uses when present (`optional`), undefined when that one was not collected.
   */
  data: { [Name in Key]: ArtifactData<Name> } & { [Name in OptionalKey]?: ArtifactData<Name> };
  /**
   * Every artifact as collected, status included. Only for a rule about the collection itself
   * (an engine or a server that could not be reached), which requires nothing and reads the failure here.
   */
  artifacts: Artifacts;
  thresholds: Thresholds;
  /** records one finding of this rule */
  report(finding: FindingReport): void;
}

/**
 * A pure check from artifacts to findings: no I/O, no clock, no printing.
 * The engine (`evaluateRule` in src/rules/engine.ts) makes the rule not-applicable without calling it when an
 * artifact in `requires` is missing or failed; otherwise it calls `check`, which reports its findings through
 * `context.report` (none reported: passed) or returns NOT_APPLICABLE. A rule that throws is an `error` outcome.
 */
export interface Rule<Key extends ArtifactKey = ArtifactKey, OptionalKey extends ArtifactKey = ArtifactKey> {
  id: string;
  component: ComponentId;
  category: Category;
  description: string;
  /** the artifacts the rule reads, each of which must have been collected (status not `error`, data present) */
  requires: readonly Key[];
  /** artifacts the rule reads when they were collected and does without otherwise */
  optional?: readonly OptionalKey[];
  check(context: RuleContext<Key, OptionalKey>): void | NotApplicable;
}

/** Declares a rule; the artifact names in `requires` and `optional` type `context.data` (no other artifact can be read from it). */
export function defineRule<const Key extends ArtifactKey, const OptionalKey extends ArtifactKey = never>(rule: Rule<Key, OptionalKey>): Rule<Key, OptionalKey> {
  return rule;
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
