import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-file-handles.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const handlesAt = (value: number | null) => (system: SystemMetrics) => {
  system.fileHandles.usedPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: handlesAt(70.1), expected: [{ subject: 'host:file-handles', severity: 'warning', value: 70.1, threshold: 70 }] },
  { name: 'exactly at warning: no finding', change: handlesAt(70), expected: [] },
  { name: 'just above critical', change: handlesAt(90.1), expected: [{ subject: 'host:file-handles', severity: 'critical', value: 90.1, threshold: 90 }] },
  { name: 'exactly at critical: warning only', change: handlesAt(90), expected: [{ subject: 'host:file-handles', severity: 'warning', value: 90, threshold: 70 }] },
  { name: 'value not measured: not applicable', change: handlesAt(null), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { fileHandles: { warning: 0.5 } },
    expected: [{ subject: 'host:file-handles', severity: 'warning', value: 1, threshold: 0.5 }],
  },
  { name: 'higher thresholds override silence a finding', change: handlesAt(92), thresholds: { fileHandles: { warning: 95, critical: 99 } }, expected: [] },
];

describe('host-file-handles', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the counts against the limit', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.fileHandles.allocated.value = 752_000;
        system.fileHandles.usedPercent.value = 75.2;
      }),
    );
    expect(finding.evidence).toEqual({ metric: 'system.fileHandles.usedPercent', value: 75.2, unit: '%', threshold: 70 });
    expect(finding.message).toBe("75.2 % of the kernel's file handle limit was in use (752,000 of 1,000,000).");
    expect(finding.recommendation).toContain('fs.file-max');
  });
});
