import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-memory-limit.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const MB = 1024 ** 2;
/** shop-db-1 holding `percent` % of its 1 GiB limit (or unlimited) */
const dbAt = (percent: number, limited = true) => (docker: DockerMetrics) => {
  const db = named(docker, 'shop-db-1');
  db.memory.workingSetBytes.value = (percent / 100) * 1024 * MB;
  db.memory.limitBytes = limited ? 1024 * MB : null;
  db.memory.percentOfLimit.value = limited ? percent : null;
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'exactly 80 %: no finding', change: dbAt(80), expected: [] },
  { name: '90.6 % (58 of 64 MiB-like): warning', change: dbAt(90.6), expected: [{ subject: 'container:shop-db-1', severity: 'warning', value: 90.6, threshold: 80 }] },
  { name: '97 %: critical', change: dbAt(97), expected: [{ subject: 'container:shop-db-1', severity: 'critical', value: 97, threshold: 95 }] },
  { name: 'no memory limit: no finding (host memory rules cover it)', change: dbAt(97, false), expected: [] },
  { name: 'override: critical at 99', change: dbAt(97), thresholds: { containerMemory: { critical: 99 } }, expected: [{ subject: 'container:shop-db-1', severity: 'warning', value: 97, threshold: 80 }] },
];

describe('container-memory-limit', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('states the working set and the limit', () => {
    const finding = onlyFinding(evaluateDocker(rule, dbAt(90)));
    expect(finding.message).toContain('holds 921.6 MiB (working set: usage minus inactive file pages) of its 1.0 GiB memory limit: 90.0 %');
    expect(finding.recommendation).toContain('mem_limit');
    expect(finding.recommendation).toContain('service "db" of compose project "shop"');
  });
});
