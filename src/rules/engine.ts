/**
 * The rule engine: it decides whether a rule applies, calls it, and completes what it reports.
 * A rule (src/contracts/rule.ts) only says which artifacts it reads and what it found.
 */
import type { Artifacts } from '../contracts/artifact.js';
import { SEVERITY_RANK, type Finding } from '../contracts/finding.js';
import { NOT_APPLICABLE, type ArtifactKey, type FindingReport, type Rule, type RuleContext, type RuleResult } from '../contracts/rule.js';
import type { Thresholds } from './thresholds.js';
import { errorMessage } from '../shared/errors.js';

/** What the engine evaluates a rule over: the collected artifacts and the thresholds in force. */
export interface RuleInput {
  artifacts: Artifacts;
  thresholds: Thresholds;
}

/** An artifact's data when its collector produced it (not failed), else undefined. */
function collectedData(artifacts: Artifacts, key: ArtifactKey): unknown {
  const artifact = artifacts[key];
  if (!artifact || artifact.status === 'error' || !artifact.data) return undefined;
  return artifact.data;
}

/** The data of every required and present optional artifact, or null when a required one is missing or failed (not applicable). */
function ruleData(rule: Rule, artifacts: Artifacts): RuleContext<ArtifactKey, ArtifactKey>['data'] | null {
  const data: Partial<Record<ArtifactKey, unknown>> = {};
  for (const key of rule.requires) {
    const found = collectedData(artifacts, key);
    if (found === undefined) return null;
    data[key] = found;
  }
  for (const key of rule.optional ?? []) {
    const found = collectedData(artifacts, key);
    if (found !== undefined) data[key] = found;
  }
  return data as RuleContext<ArtifactKey, ArtifactKey>['data'];
}

/**
 * The finding with the engine's part filled in: `ruleId` first, and the rule's category right after the severity
 * when the rule leaves it out. The rule's own key order is kept otherwise, so that a report's JSON is byte for byte
 * what it was when every rule wrote its findings whole.
 */
function completeFinding(rule: Rule, report: FindingReport): Finding {
  const finding: Record<string, unknown> = { ruleId: rule.id };
  for (const [key, value] of Object.entries(report)) {
    if (key === 'category' && value === undefined) continue;
    finding[key] = value;
    if (key === 'severity' && report.category === undefined) finding.category = rule.category;
  }
  return finding as unknown as Finding;
}

/**
 * One rule over the artifacts: its findings (an empty list: passed), or null when it is not applicable.
 * What the rule throws is thrown on (evaluateRules turns it into an `error` outcome).
 */
export function evaluateRule(rule: Rule, context: RuleInput): Finding[] | null {
  const data = ruleData(rule, context.artifacts);
  if (data === null) return null;
  const findings: Finding[] = [];
  const verdict = rule.check({
    data,
    artifacts: context.artifacts,
    thresholds: context.thresholds,
    report: (report) => {
      findings.push(completeFinding(rule, report));
    },
  });
  return verdict === NOT_APPLICABLE ? null : findings;
}

/**
 * Runs every rule over the artifacts. A rule that throws does not stop the others: its outcome is
 * `error` with what it threw (a check that could not run is not a check that did not apply). Findings come out
 * most severe first; within one severity they keep the rule order (the sort is stable).
 */
export function evaluateAllRules(
  rules: readonly Rule[],
  artifacts: Artifacts,
  thresholds: Thresholds,
): { findings: Finding[]; results: RuleResult[] } {
  const findings: Finding[] = [];
  const results: RuleResult[] = [];
  for (const rule of rules) {
    let ruleFindings: Finding[] | null;
    try {
      ruleFindings = evaluateRule(rule, { artifacts, thresholds });
    } catch (error) {
      const text = errorMessage(error);
      results.push({ ruleId: rule.id, outcome: 'error', findings: 0, reason: `rule failed: ${text}` });
      continue;
    }
    if (ruleFindings === null) {
      results.push({ ruleId: rule.id, outcome: 'not-applicable', findings: 0 });
    } else {
      results.push({ ruleId: rule.id, outcome: ruleFindings.length > 0 ? 'failed' : 'passed', findings: ruleFindings.length });
      findings.push(...ruleFindings);
    }
  }
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return { findings, results };
}
