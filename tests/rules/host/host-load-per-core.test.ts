import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-load-per-core.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

/** load5PerCore on the fixture's 4 cores, with the raw load5 kept consistent */
const loadPerCoreAt = (value: number | null) => (system: SystemMetrics) => {
  system.load.load5PerCore.value = value;
  system.load.load5.value = value === null ? null : value * system.cpu.cores;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: loadPerCoreAt(1.51), expected: [{ subject: 'host:load', severity: 'warning', value: 1.51, threshold: 1.5 }] },
  { name: 'exactly at warning: no finding', change: loadPerCoreAt(1.5), expected: [] },
  { name: 'just above critical', change: loadPerCoreAt(2.01), expected: [{ subject: 'host:load', severity: 'critical', value: 2.01, threshold: 2 }] },
  { name: 'exactly at critical: warning only', change: loadPerCoreAt(2), expected: [{ subject: 'host:load', severity: 'warning', value: 2, threshold: 1.5 }] },
  { name: 'value not measured: not applicable', change: loadPerCoreAt(null), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { loadPerCore: { warning: 0.4 } },
    expected: [{ subject: 'host:load', severity: 'warning', value: 0.5, threshold: 0.4 }],
  },
  { name: 'higher thresholds override silence a finding', change: loadPerCoreAt(2.5), thresholds: { loadPerCore: { warning: 3, critical: 4 } }, expected: [] },
];

describe('host-load-per-core', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('says the raw load and the core count; low CPU points at tasks blocked on I/O', () => {
    const finding = onlyFinding(evaluate(rule, loadPerCoreAt(2.1)));
    expect(finding.evidence).toEqual({ metric: 'system.load.load5PerCore', value: 2.1, unit: 'load/core', threshold: 2 });
    expect(finding.message).toContain('5-minute load average was 8.40 on 4 cores, 2.10 per core (1-minute 1.80, 15-minute 2.20)');
    expect(finding.recommendation).toContain('uninterruptible');
  });

  test('with busy CPUs, points at CPU queueing instead', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        loadPerCoreAt(1.8)(system);
        system.cpu.totalPercent.value = 92;
      }),
    );
    expect(finding.recommendation).toContain('queueing for the 4 cores');
  });
});
