import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-unhealthy.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const health = (status: string, failingStreak: number) => (docker: DockerMetrics) => {
  named(docker, 'shop-db-1').health = { status, failingStreak, lastOutput: 'pg_isready: no response', lastExitCode: 2 };
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'starting (grace period): no finding', change: health('starting', 1), expected: [] },
  { name: 'unhealthy: critical', change: health('unhealthy', 3), expected: [{ subject: 'container:shop-db-1', severity: 'critical', value: 3, threshold: 0 }] },
];

describe('container-unhealthy', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('quotes the last check', () => {
    const finding = onlyFinding(evaluateDocker(rule, health('unhealthy', 3)));
    expect(finding.message).toBe(
      'shop-db-1 (shop/db, image postgres:16) is unhealthy: its health check failed 3 times in a row. Last check: exit code 2, output "pg_isready: no response".',
    );
    expect(finding.recommendation).toContain("docker inspect -f '{{json .State.Health}}' shop-db-1");
  });
});
