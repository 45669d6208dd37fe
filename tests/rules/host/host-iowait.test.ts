import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-iowait.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const iowaitAt = (value: number | null) => (system: SystemMetrics) => {
  system.cpu.iowaitPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: iowaitAt(10.1), expected: [{ subject: 'host:cpu', severity: 'warning', value: 10.1, threshold: 10 }] },
  { name: 'exactly at warning: no finding', change: iowaitAt(10), expected: [] },
  { name: 'value not measured: not applicable', change: iowaitAt(null), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { iowait: { warning: 0.5 } },
    expected: [{ subject: 'host:cpu', severity: 'warning', value: 1, threshold: 0.5 }],
  },
  { name: 'higher warning override silences a finding', change: iowaitAt(15), thresholds: { iowait: { warning: 20 } }, expected: [] },
];

describe('host-iowait', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('names the busiest block device', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.cpu.iowaitPercent.value = 23.45;
        system.diskIo[0]!.utilisationPercent.value = 97;
        system.diskIo[0]!.awaitMs.value = 41.2;
      }),
    );
    expect(finding.category).toBe('disk');
    expect(finding.evidence).toEqual({ metric: 'system.cpu.iowaitPercent', value: 23.5, unit: '%', threshold: 10 });
    expect(finding.message).toContain('23.5 % of the 5 s window');
    expect(finding.message).toContain('nvme0n1 (97.0 % utilised, 41.2 ms per I/O)');
    expect(finding.recommendation).toContain('look at nvme0n1 first');
  });
});
