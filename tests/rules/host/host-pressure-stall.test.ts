import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { PressureMetrics, SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-pressure-stall.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const pressureAt = (values: Partial<Record<keyof PressureMetrics, number | null>>) => (system: SystemMetrics) => {
  for (const [field, value] of Object.entries(values)) {
    system.pressure![field as keyof PressureMetrics].value = value;
  }
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'cpu just above warning', change: pressureAt({ cpuSomeAvg10: 10.1 }), expected: [{ subject: 'host:pressure:cpu', severity: 'warning', value: 10.1, threshold: 10 }] },
  { name: 'memory exactly at warning: no finding', change: pressureAt({ memorySomeAvg10: 10 }), expected: [] },
  { name: 'io above warning', change: pressureAt({ ioSomeAvg10: 25 }), expected: [{ subject: 'host:pressure:io', severity: 'warning', value: 25, threshold: 10 }] },
  {
    name: 'all three resources: one finding each',
    change: pressureAt({ cpuSomeAvg10: 11, memorySomeAvg10: 12, ioSomeAvg10: 13 }),
    expected: [
      { subject: 'host:pressure:cpu', severity: 'warning', value: 11, threshold: 10 },
      { subject: 'host:pressure:memory', severity: 'warning', value: 12, threshold: 10 },
      { subject: 'host:pressure:io', severity: 'warning', value: 13, threshold: 10 },
    ],
  },
  {
    name: 'one resource not measured: the others are still checked',
    change: pressureAt({ cpuSomeAvg10: null, memorySomeAvg10: 30 }),
    expected: [{ subject: 'host:pressure:memory', severity: 'warning', value: 30, threshold: 10 }],
  },
  { name: 'no resource measured: not applicable', change: pressureAt({ cpuSomeAvg10: null, memorySomeAvg10: null, ioSomeAvg10: null }), expected: null },
  { name: 'kernel without PSI: not applicable', change: (system) => (system.pressure = null), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { pressureSomeAvg10: { warning: 1 } },
    expected: [{ subject: 'host:pressure:cpu', severity: 'warning', value: 1.2, threshold: 1 }],
  },
  { name: 'higher warning override silences a finding', change: pressureAt({ ioSomeAvg10: 25 }), thresholds: { pressureSomeAvg10: { warning: 30 } }, expected: [] },
];

describe('host-pressure-stall', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('gives each resource its own category, evidence path and advice', () => {
    const finding = onlyFinding(evaluate(rule, pressureAt({ memorySomeAvg10: 14.24 })));
    expect(finding.category).toBe('memory');
    expect(finding.evidence).toEqual({ metric: 'system.pressure.memorySomeAvg10', value: 14.2, unit: '%', threshold: 10 });
    expect(finding.message).toContain('waiting for memory (reclaim or swap-in) 14.2 % of the time over the last 10 s');
    expect(finding.recommendation).toContain('ps -eo pid,rss,comm --sort=-rss');
    const io = onlyFinding(evaluate(rule, pressureAt({ ioSomeAvg10: 20 })));
    expect(io.category).toBe('disk');
    expect(io.recommendation).toContain('iostat -x 1');
  });
});
