import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-oom-kills.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const killsAt = (value: number | null) => (system: SystemMetrics) => {
  system.oomKillsDuringWindow.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host (no kill): no finding', expected: [] },
  { name: 'one kill: critical', change: killsAt(1), expected: [{ subject: 'host:oom', severity: 'critical', value: 1, threshold: 0 }] },
  { name: 'kernel without the counter: not applicable', change: killsAt(null), expected: null },
  { name: 'override: at the raised level, no finding', change: killsAt(2), thresholds: { oomKills: { critical: 2 } }, expected: [] },
  { name: 'override: above the raised level', change: killsAt(3), thresholds: { oomKills: { critical: 2 } }, expected: [{ subject: 'host:oom', severity: 'critical', value: 3, threshold: 2 }] },
];

describe('host-oom-kills', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('counts the kills and says where to find the victim', () => {
    const finding = onlyFinding(evaluate(rule, killsAt(2)));
    expect(finding.evidence).toEqual({ metric: 'system.oomKillsDuringWindow', value: 2, unit: 'kills', threshold: 0 });
    expect(finding.message).toBe('The kernel OOM killer killed 2 processes during the 5 s window.');
    expect(finding.recommendation).toContain('journalctl -k');
  });
});
