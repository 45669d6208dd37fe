import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-memory-utilisation.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const memoryAt = (value: number | null) => (system: SystemMetrics) => {
  system.memory.usedPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above info', change: memoryAt(85.1), expected: [{ subject: 'host:memory', severity: 'info', value: 85.1, threshold: 85 }] },
  { name: 'exactly at info: no finding', change: memoryAt(85), expected: [] },
  { name: 'just above warning', change: memoryAt(95.1), expected: [{ subject: 'host:memory', severity: 'warning', value: 95.1, threshold: 95 }] },
  { name: 'exactly at warning: info only', change: memoryAt(95), expected: [{ subject: 'host:memory', severity: 'info', value: 95, threshold: 85 }] },
  { name: 'just above critical', change: memoryAt(98.1), expected: [{ subject: 'host:memory', severity: 'critical', value: 98.1, threshold: 98 }] },
  { name: 'exactly at critical: warning only', change: memoryAt(98), expected: [{ subject: 'host:memory', severity: 'warning', value: 98, threshold: 95 }] },
  { name: 'value not measured: not applicable', change: memoryAt(null), expected: null },
  {
    name: 'lower info override raises a finding',
    thresholds: { memory: { info: 40 } },
    expected: [{ subject: 'host:memory', severity: 'info', value: 50, threshold: 40 }],
  },
  { name: 'higher info override silences a finding', change: memoryAt(90), thresholds: { memory: { info: 92 } }, expected: [] },
];

describe('host-memory-utilisation', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the amounts and names the largest processes with where to cap them', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.memory.usedPercent.value = 96.25;
        system.memory.availableBytes.value = 0.6e9;
      }),
    );
    expect(finding.evidence).toEqual({ metric: 'system.memory.usedPercent', value: 96.3, unit: '%', threshold: 95 });
    expect(finding.message).toContain('Memory was 96.3 % used (14.3 GiB of 14.9 GiB; 572.2 MiB available)');
    expect(finding.message).toContain('postgres (pid 871, 2.0 GiB resident), node (pid 2314, 762.9 MiB resident) and redis-server (pid 640, 286.1 MiB resident)');
    expect(finding.recommendation).toContain('Start with postgres (pid 871)');
    expect(finding.recommendation).toContain('shared_buffers');
    expect(finding.recommendation).toContain('--max-old-space-size');
    expect(finding.recommendation).toContain('maxmemory');
  });
});
