import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-disk-utilisation.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const utilisationAt = (deviceName: string, value: number | null) => (system: SystemMetrics) => {
  const device = system.diskIo.find((candidate) => candidate.device === deviceName);
  if (!device) throw new Error(`no device ${deviceName} in the fixture`);
  device.utilisationPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: utilisationAt('nvme1n1', 80.1), expected: [{ subject: 'host:blockdev:nvme1n1', severity: 'warning', value: 80.1, threshold: 80 }] },
  { name: 'exactly at warning: no finding', change: utilisationAt('nvme1n1', 80), expected: [] },
  { name: 'one device not measured: the others are still checked', change: (system) => { utilisationAt('nvme0n1', null)(system); utilisationAt('nvme1n1', 99)(system); }, expected: [{ subject: 'host:blockdev:nvme1n1', severity: 'warning', value: 99, threshold: 80 }] },
  { name: 'no device measured: not applicable', change: (system) => system.diskIo.forEach((device) => (device.utilisationPercent.value = null)), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { diskUtilisation: { warning: 15 } },
    expected: [{ subject: 'host:blockdev:nvme1n1', severity: 'warning', value: 20, threshold: 15 }],
  },
  { name: 'higher warning override silences a finding', change: utilisationAt('nvme0n1', 90), thresholds: { diskUtilisation: { warning: 95 } }, expected: [] },
];

describe('host-disk-utilisation', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the busy share and warns that parallel devices need await to judge', () => {
    const finding = onlyFinding(evaluate(rule, utilisationAt('nvme0n1', 93.35)));
    expect(finding.evidence).toEqual({ metric: 'system.diskIo[nvme0n1].utilisationPercent', value: 93.4, unit: '%', threshold: 80 });
    expect(finding.message).toContain('nvme0n1 had I/O in flight 93.4 % of the 5 s window');
    expect(finding.message).toContain('1.5 ms per I/O');
    expect(finding.recommendation).toContain('iostat -x 1 nvme0n1');
    expect(finding.recommendation).toContain('await here: 1.5 ms');
  });
});
