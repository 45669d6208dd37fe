import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-disk-await.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const awaitAt = (deviceName: string, value: number | null) => (system: SystemMetrics) => {
  const device = system.diskIo.find((candidate) => candidate.device === deviceName);
  if (!device) throw new Error(`no device ${deviceName} in the fixture`);
  device.awaitMs.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'just above warning', change: awaitAt('nvme0n1', 20.1), expected: [{ subject: 'host:blockdev:nvme0n1', severity: 'warning', value: 20.1, threshold: 20 }] },
  { name: 'exactly at warning: no finding', change: awaitAt('nvme0n1', 20), expected: [] },
  { name: 'just above critical', change: awaitAt('nvme1n1', 50.1), expected: [{ subject: 'host:blockdev:nvme1n1', severity: 'critical', value: 50.1, threshold: 50 }] },
  { name: 'exactly at critical: warning only', change: awaitAt('nvme1n1', 50), expected: [{ subject: 'host:blockdev:nvme1n1', severity: 'warning', value: 50, threshold: 20 }] },
  { name: 'one device not measured: the others are still checked', change: (system) => { awaitAt('nvme0n1', null)(system); awaitAt('nvme1n1', 30)(system); }, expected: [{ subject: 'host:blockdev:nvme1n1', severity: 'warning', value: 30, threshold: 20 }] },
  { name: 'no device measured: not applicable', change: (system) => system.diskIo.forEach((device) => (device.awaitMs.value = null)), expected: null },
  { name: 'no block device at all (container): not applicable', change: (system) => (system.diskIo = []), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { diskAwaitMs: { warning: 1 } },
    expected: [{ subject: 'host:blockdev:nvme0n1', severity: 'warning', value: 1.5, threshold: 1 }],
  },
  { name: 'higher thresholds override silence a finding', change: awaitAt('nvme0n1', 60), thresholds: { diskAwaitMs: { warning: 100, critical: 200 } }, expected: [] },
];

describe('host-disk-await', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the latency with the traffic behind it and names the device in the advice', () => {
    const finding = onlyFinding(evaluate(rule, awaitAt('nvme0n1', 35.24)));
    expect(finding.evidence).toEqual({ metric: 'system.diskIo[nvme0n1].awaitMs', value: 35.2, unit: 'ms', threshold: 20 });
    expect(finding.message).toBe(
      'I/O on nvme0n1 took 35.2 ms on average (queue + service) over the 5 s window ' +
        '(40 reads/s, 120 writes/s, 1.9 MiB/s read, 4.8 MiB/s written; 12.0 % utilised).',
    );
    expect(finding.recommendation).toContain('iostat -x 1 nvme0n1');
  });
});
