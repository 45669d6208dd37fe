import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-cpu-steal.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const stealAt = (value: number | null) => (system: SystemMetrics) => {
  system.cpu.stealPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: stealAt(10.1), expected: [{ subject: 'host:cpu', severity: 'warning', value: 10.1, threshold: 10 }] },
  { name: 'exactly at warning: no finding', change: stealAt(10), expected: [] },
  { name: 'value not measured (bare metal, macOS): not applicable', change: stealAt(null), expected: null },
  {
    name: 'lower warning override raises a finding',
    change: stealAt(3),
    thresholds: { steal: { warning: 2 } },
    expected: [{ subject: 'host:cpu', severity: 'warning', value: 3, threshold: 2 }],
  },
  { name: 'higher warning override silences a finding', change: stealAt(12), thresholds: { steal: { warning: 15 } }, expected: [] },
];

describe('host-cpu-steal', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the steal with the window and points outside the VM', () => {
    const finding = onlyFinding(evaluate(rule, stealAt(18.26)));
    expect(finding.evidence).toEqual({ metric: 'system.cpu.stealPercent', value: 18.3, unit: '%', threshold: 10 });
    expect(finding.message).toContain('18.3 % of CPU time from this 4-core VM over the 5 s window');
    expect(finding.recommendation).toContain('vmstat 1');
  });
});
