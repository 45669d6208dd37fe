import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-disk-space.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const mountAt = (mountPoint: string, value: number | null) => (system: SystemMetrics) => {
  const mount = system.mounts.find((candidate) => candidate.mount === mountPoint);
  if (!mount) throw new Error(`no mount ${mountPoint} in the fixture`);
  mount.usedPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host (the always-full snap image is ignored): no finding', expected: [] },
  { name: 'just above warning', change: mountAt('/', 90.1), expected: [{ subject: 'host:disk:/', severity: 'warning', value: 90.1, threshold: 90 }] },
  { name: 'exactly at warning: no finding', change: mountAt('/', 90), expected: [] },
  { name: 'just above critical', change: mountAt('/var/lib/postgresql', 95.1), expected: [{ subject: 'host:disk:/var/lib/postgresql', severity: 'critical', value: 95.1, threshold: 95 }] },
  { name: 'exactly at critical: warning only', change: mountAt('/', 95), expected: [{ subject: 'host:disk:/', severity: 'warning', value: 95, threshold: 90 }] },
  {
    name: 'two full mounts: one finding each',
    change: (system) => {
      mountAt('/', 91)(system);
      mountAt('/var/lib/postgresql', 99)(system);
    },
    expected: [
      { subject: 'host:disk:/', severity: 'warning', value: 91, threshold: 90 },
      { subject: 'host:disk:/var/lib/postgresql', severity: 'critical', value: 99, threshold: 95 },
    ],
  },
  { name: 'one mount not measured: the others are still checked', change: (system) => { mountAt('/', null)(system); mountAt('/var/lib/postgresql', 92)(system); }, expected: [{ subject: 'host:disk:/var/lib/postgresql', severity: 'warning', value: 92, threshold: 90 }] },
  { name: 'no mount measured: not applicable', change: (system) => system.mounts.forEach((mount) => (mount.usedPercent.value = null)), expected: null },
  { name: 'no mounts at all: not applicable', change: (system) => (system.mounts = []), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { disk: { warning: 35 } },
    expected: [{ subject: 'host:disk:/', severity: 'warning', value: 40, threshold: 35 }],
  },
  { name: 'higher warning override silences a finding', change: mountAt('/', 92), thresholds: { disk: { warning: 93 } }, expected: [] },
];

describe('host-disk-space', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the mount, the amounts, and where to look on it', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        const root = system.mounts[0]!;
        root.sizeBytes.value = 49.7e9;
        root.usedBytes.value = 46.2e9;
        root.usedPercent.value = 93.06;
      }),
    );
    expect(finding.evidence).toEqual({ metric: 'system.mounts[/].usedPercent', value: 93.1, unit: '%', threshold: 90 });
    expect(finding.message).toContain('Disk / is 93.1 % full (43.0 GiB of 46.3 GiB used, 3.3 GiB free)');
    expect(finding.recommendation).toContain('du -xh --max-depth=1 / | sort -h');
    expect(finding.recommendation).toContain('docker system df');
    expect(finding.recommendation).toContain('journalctl --disk-usage');
    expect(finding.recommendation).toContain('/dev/nvme0n1p1');
  });

  test('a data mount gets no Docker or journal advice that cannot apply to it', () => {
    const finding = onlyFinding(evaluate(rule, mountAt('/var/lib/postgresql', 96)));
    expect(finding.recommendation).toContain('du -xh --max-depth=1 /var/lib/postgresql');
    expect(finding.recommendation).not.toContain('docker system df');
    expect(finding.recommendation).not.toContain('journalctl');
  });

  test('a mount point with a space is quoted in the command', () => {
    const finding = onlyFinding(
      evaluate(rule, (system) => {
        system.mounts[1]!.mount = '/mnt/my data';
        system.mounts[1]!.usedPercent.value = 97;
      }),
    );
    expect(finding.subject).toBe('host:disk:/mnt/my data');
    expect(finding.recommendation).toContain("du -xh --max-depth=1 '/mnt/my data'");
  });
});
