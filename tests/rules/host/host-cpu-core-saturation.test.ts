import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-cpu-core-saturation.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const coreAt = (core: number, value: number | null) => (system: SystemMetrics) => {
  const entry = system.cpu.perCore.find((candidate) => candidate.core === core);
  if (entry) entry.busyPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'one core just above the level', change: coreAt(2, 95.1), expected: [{ subject: 'host:cpu:2', severity: 'info', value: 95.1, threshold: 95 }] },
  { name: 'one core exactly at the level: no finding', change: coreAt(2, 95), expected: [] },
  {
    name: 'two hot cores: one finding each',
    change: (system) => {
      coreAt(0, 99)(system);
      coreAt(3, 100)(system);
    },
    expected: [
      { subject: 'host:cpu:0', severity: 'info', value: 99, threshold: 95 },
      { subject: 'host:cpu:3', severity: 'info', value: 100, threshold: 95 },
    ],
  },
  {
    name: 'total just under the normal level: finding',
    change: (system) => {
      coreAt(1, 99)(system);
      system.cpu.totalPercent.value = 59.9;
    },
    expected: [{ subject: 'host:cpu:1', severity: 'info', value: 99, threshold: 95 }],
  },
  {
    name: 'total at the normal level: the host is busy overall, no finding',
    change: (system) => {
      coreAt(1, 99)(system);
      system.cpu.totalPercent.value = 60;
    },
    expected: [],
  },
  { name: 'one core not measured: the others are still checked', change: (system) => { coreAt(0, null)(system); coreAt(1, 98)(system); }, expected: [{ subject: 'host:cpu:1', severity: 'info', value: 98, threshold: 95 }] },
  {
    name: 'no core measured: not applicable',
    change: (system) => system.cpu.perCore.forEach((core) => (core.busyPercent.value = null)),
    expected: null,
  },
  { name: 'total not measured: not applicable', change: (system) => { coreAt(1, 99)(system); system.cpu.totalPercent.value = null; }, expected: null },
  {
    name: 'lower level override raises a finding',
    change: coreAt(0, 60),
    thresholds: { cpuCoreBusy: { info: 50 } },
    expected: [{ subject: 'host:cpu:0', severity: 'info', value: 60, threshold: 50 }],
  },
  { name: 'lower cpu normal override silences it (host counts as busy)', change: coreAt(0, 99), thresholds: { cpu: { normal: 20 } }, expected: [] },
];

describe('host-cpu-core-saturation', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('says the core, the total and the process that likely owns the hot thread', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        coreAt(2, 99.64)(system);
        system.topProcessesByCpu[0]!.cpuPercent = 99.2;
      }),
    );
    expect(finding.evidence).toEqual({ metric: 'system.cpu.perCore[2].busyPercent', value: 99.6, unit: '%', threshold: 95 });
    expect(finding.message).toContain('Core 2 was 99.6 % busy');
    expect(finding.message).toContain('all 4 cores together were 25.0 % busy');
    expect(finding.recommendation).toContain('top -H -p 2314');
  });
});
