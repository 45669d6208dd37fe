import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-disk-inodes.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const inodesAt = (mountPoint: string, value: number | null) => (system: SystemMetrics) => {
  const mount = system.mounts.find((candidate) => candidate.mount === mountPoint);
  if (!mount) throw new Error(`no mount ${mountPoint} in the fixture`);
  mount.inodesUsedPercent.value = value;
};

const cases: RuleCase[] = [
  { name: 'healthy host (the always-full snap image is ignored): no finding', expected: [] },
  { name: 'just above warning', change: inodesAt('/', 90.1), expected: [{ subject: 'host:inodes:/', severity: 'warning', value: 90.1, threshold: 90 }] },
  { name: 'exactly at warning: no finding', change: inodesAt('/', 90), expected: [] },
  { name: 'just above critical', change: inodesAt('/', 95.1), expected: [{ subject: 'host:inodes:/', severity: 'critical', value: 95.1, threshold: 95 }] },
  { name: 'exactly at critical: warning only', change: inodesAt('/', 95), expected: [{ subject: 'host:inodes:/', severity: 'warning', value: 95, threshold: 90 }] },
  { name: 'filesystem without an inode limit is skipped', change: (system) => { inodesAt('/', null)(system); inodesAt('/var/lib/postgresql', 91)(system); }, expected: [{ subject: 'host:inodes:/var/lib/postgresql', severity: 'warning', value: 91, threshold: 90 }] },
  { name: 'no mount with an inode count: not applicable', change: (system) => system.mounts.forEach((mount) => (mount.inodesUsedPercent.value = null)), expected: null },
  {
    name: 'lower warning override raises a finding',
    thresholds: { inodes: { warning: 10 } },
    expected: [{ subject: 'host:inodes:/', severity: 'warning', value: 12, threshold: 10 }],
  },
  { name: 'higher warning override silences a finding', change: inodesAt('/', 92), thresholds: { inodes: { warning: 93 } }, expected: [] },
];

describe('host-disk-inodes', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('contrasts inodes with space and says how to find the many small files', () => {
    const finding = onlyFinding(evaluate(rule, inodesAt('/', 96.04)));
    expect(finding.evidence).toEqual({ metric: 'system.mounts[/].inodesUsedPercent', value: 96, unit: '%', threshold: 95 });
    expect(finding.message).toContain('96.0 % of the inodes on / are in use while its space is 40.0 % used');
    expect(finding.recommendation).toContain('du --inodes -x --max-depth=2 / | sort -n');
  });
});
