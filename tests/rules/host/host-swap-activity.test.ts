import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-swap-activity.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const swapAt = (pagesIn: number | null, pagesOut: number | null) => (system: SystemMetrics) => {
  system.memory.swapInPagesPerSec.value = pagesIn;
  system.memory.swapOutPagesPerSec.value = pagesOut;
};

const cases: RuleCase[] = [
  { name: 'healthy host (no swap traffic): no finding', expected: [] },
  { name: 'just above warning (swap-in)', change: swapAt(0.2, 0), expected: [{ subject: 'host:swap', severity: 'warning', value: 0.2, threshold: 0 }] },
  { name: 'swap-out only', change: swapAt(0, 35), expected: [{ subject: 'host:swap', severity: 'warning', value: 35, threshold: 0 }] },
  { name: 'in and out are added', change: swapAt(12.4, 38.2), expected: [{ subject: 'host:swap', severity: 'warning', value: 50.6, threshold: 0 }] },
  { name: 'exactly at warning (0): no finding', change: swapAt(0, 0), expected: [] },
  { name: 'one direction not measured: the other still counts', change: swapAt(null, 3), expected: [{ subject: 'host:swap', severity: 'warning', value: 3, threshold: 0 }] },
  { name: 'neither direction measured: not applicable', change: swapAt(null, null), expected: null },
  { name: 'higher warning override tolerates some swapping', change: swapAt(20, 30), thresholds: { swapPagesPerSec: { warning: 100 } }, expected: [] },
  {
    name: 'override crossed',
    change: swapAt(60, 60),
    thresholds: { swapPagesPerSec: { warning: 100 } },
    expected: [{ subject: 'host:swap', severity: 'warning', value: 120, threshold: 100 }],
  },
];

describe('host-swap-activity', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states both directions, swap in use and the largest process', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        swapAt(12.4, 38.2)(system);
        system.memory.swapUsedBytes.value = 0.4e9;
      }),
    );
    expect(finding.evidence.metric).toBe('system.memory.swapInPagesPerSec + system.memory.swapOutPagesPerSec');
    expect(finding.evidence.unit).toBe('pages/s');
    expect(finding.message).toContain('12.4 pages/s in and 38.2 pages/s out over the 5 s window');
    expect(finding.message).toContain('381.5 MiB of 1.9 GiB swap in use');
    expect(finding.recommendation).toContain('postgres (pid 871, 2.0 GiB resident)');
  });
});
