import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-cpu-utilisation.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const cpuAt = (value: number | null) => (system: SystemMetrics) => {
  system.cpu.totalPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: cpuAt(80.1), expected: [{ subject: 'host:cpu', severity: 'warning', value: 80.1, threshold: 80 }] },
  { name: 'exactly at warning: no finding', change: cpuAt(80), expected: [] },
  { name: 'just above critical', change: cpuAt(95.1), expected: [{ subject: 'host:cpu', severity: 'critical', value: 95.1, threshold: 95 }] },
  { name: 'exactly at critical: warning only', change: cpuAt(95), expected: [{ subject: 'host:cpu', severity: 'warning', value: 95, threshold: 80 }] },
  { name: 'value not measured: not applicable', change: cpuAt(null), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { cpu: { warning: 20 } },
    expected: [{ subject: 'host:cpu', severity: 'warning', value: 25, threshold: 20 }],
  },
  { name: 'higher warning override silences a finding', change: cpuAt(85), thresholds: { cpu: { warning: 90 } }, expected: [] },
];

describe('host-cpu-utilisation', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('names the busiest processes in the message and the recommendation', () => {
    const finding = onlyFinding(evaluate(rule, cpuAt(91.26)));
    expect(finding.evidence).toEqual({ metric: 'system.cpu.totalPercent', value: 91.3, unit: '%', threshold: 80 });
    expect(finding.message).toContain('91.3 % busy across 4 cores over the 5 s window');
    expect(finding.message).toContain('node (pid 2314, 42.5 % CPU), postgres (pid 871, 12.1 % CPU) and redis-server (pid 640, 3.4 % CPU)');
    expect(finding.recommendation).toContain('top -H -p 2314');
  });

  test('without a process sample, says so and still recommends how to find the processes', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.cpu.totalPercent.value = 97;
        system.topProcessesByCpu = [];
      }),
    );
    expect(finding.message).toContain('No per-process CPU sample');
    expect(finding.recommendation).toContain('pidstat -u 1 5');
  });
});
