import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-tcp-retransmits.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const retransmitsAt = (value: number | null) => (system: SystemMetrics) => {
  system.tcp!.retransmitPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: retransmitsAt(1.01), expected: [{ subject: 'host:tcp', severity: 'warning', value: 1.01, threshold: 1 }] },
  { name: 'exactly at warning: no finding', change: retransmitsAt(1), expected: [] },
  { name: 'value not measured: not applicable', change: retransmitsAt(null), expected: null },
  { name: 'no TCP counters at all: not applicable', change: (system) => (system.tcp = null), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { tcpRetransmitPercent: { warning: 0.01 } },
    expected: [{ subject: 'host:tcp', severity: 'warning', value: 0.05, threshold: 0.01 }],
  },
  { name: 'higher warning override silences a finding', change: retransmitsAt(2), thresholds: { tcpRetransmitPercent: { warning: 3 } }, expected: [] },
];

describe('host-tcp-retransmits', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the rates and points at an interface that is losing packets', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.tcp!.retransmitPercent.value = 1.8;
        system.tcp!.retransSegmentsPerSec.value = 108;
      }),
    );
    expect(finding.evidence).toEqual({ metric: 'system.tcp.retransmitPercent', value: 1.8, unit: '%', threshold: 1 });
    expect(finding.message).toContain('1.8 % of TCP segments sent were retransmissions (108 of 6000 segments/s) over the 5 s window');
    expect(finding.recommendation).toContain('ss -ti');
    expect(finding.recommendation).toContain('Interface docker0 also counted errors or drops');
  });

  test('with clean interfaces, points along the path instead', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.tcp!.retransmitPercent.value = 1.8;
        system.network.forEach((nic) => (nic.dropPercent.value = 0));
      }),
    );
    expect(finding.recommendation).toContain('mtr <peer>');
  });
});
