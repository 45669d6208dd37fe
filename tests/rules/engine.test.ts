import { describe, expect, jest, test } from '@jest/globals';
import { defineRule, NOT_APPLICABLE } from '../../src/contracts/rule.js';
import { evaluateRule } from '../../src/rules/engine.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import { healthySystem, systemArtifacts } from '../support/system-fixture.js';

const thresholds = mergeThresholds();
const report = { severity: 'warning', subject: 'host:cpu', title: 't', message: 'm', evidence: { metric: 'x', value: 1, unit: '%', threshold: 0 }, recommendation: 'r' } as const;

describe('the rule engine', () => {
  test('a rule whose required artifact is missing or failed is not applicable and is not called', () => {
    const check = jest.fn(() => undefined);
    const rule = defineRule({ id: 'needs-system', component: 'system', category: 'cpu', description: 'test double', requires: ['system'], check });
    expect(evaluateRule(rule, { artifacts: {}, thresholds })).toBeNull();
    expect(evaluateRule(rule, { artifacts: { system: { status: 'error', durationMs: 1, error: 'no /proc' } }, thresholds })).toBeNull();
    expect(check).not.toHaveBeenCalled();
  });

  test('a rule gets the data of its required artifacts, and of an optional one only when it was collected', () => {
    const seen: unknown[] = [];
    const rule = defineRule({
      id: 'reads-data',
      component: 'system',
      category: 'cpu',
      description: 'test double',
      requires: ['system'],
      optional: ['docker'],
      check(context) {
        seen.push(context.data.system.windowMs, context.data.docker);
      },
    });
    const system = healthySystem();
    expect(evaluateRule(rule, { artifacts: { ...systemArtifacts(system), docker: { status: 'error', durationMs: 1, error: 'no socket' } }, thresholds })).toEqual([]);
    expect(seen).toEqual([system.windowMs, undefined]);
  });

  test('report() fills in the rule id and, after the severity, the rule category; a category given is kept where the rule wrote it', () => {
    const rule = defineRule({
      id: 'reports-two',
      component: 'system',
      category: 'cpu',
      description: 'test double',
      requires: [],
      check(context) {
        context.report(report);
        context.report({ category: 'availability', ...report, estimatedSavingMsPerRequest: 2 });
      },
    });
    const [first, second] = evaluateRule(rule, { artifacts: {}, thresholds })!;
    expect(first!.ruleId).toBe('reports-two');
    expect(first!.category).toBe('cpu');
    expect(Object.keys(first!)).toEqual(['ruleId', 'severity', 'category', 'subject', 'title', 'message', 'evidence', 'recommendation']);
    expect(second!.category).toBe('availability');
    expect(Object.keys(second!)).toEqual(['ruleId', 'category', 'severity', 'subject', 'title', 'message', 'evidence', 'recommendation', 'estimatedSavingMsPerRequest']);
  });

  test('a rule returning NOT_APPLICABLE is not applicable; one reporting nothing passed', () => {
    const notApplicable = defineRule({ id: 'n', component: 'system', category: 'cpu', description: 'test double', requires: [], check: () => NOT_APPLICABLE });
    const passing = defineRule({ id: 'p', component: 'system', category: 'cpu', description: 'test double', requires: [], check: () => undefined });
    expect(evaluateRule(notApplicable, { artifacts: {}, thresholds })).toBeNull();
    expect(evaluateRule(passing, { artifacts: {}, thresholds })).toEqual([]);
  });
});
