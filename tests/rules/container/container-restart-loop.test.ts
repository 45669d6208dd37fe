import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-restart-loop.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const restarts = (count: number, duringWindow: number, restartingSeen = false) => (docker: DockerMetrics) => {
  const api = named(docker, 'shop-api-2');
  api.restarts = { count, duringWindow, restartingSeen, policy: 'always' };
  if (restartingSeen) {
    api.state = 'restarting';
    api.exitCode = 3;
  }
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'restarted long ago, stable during the window: no finding', change: restarts(4, 0), expected: [] },
  { name: 'two restarts during the window: critical', change: restarts(9, 2), expected: [{ subject: 'container:shop-api-2', severity: 'critical', value: 2, threshold: 0 }] },
  { name: 'seen waiting to restart (backoff), count unchanged: critical', change: restarts(6, 0, true), expected: [{ subject: 'container:shop-api-2', severity: 'critical', value: 0, threshold: 0 }] },
  { name: 'override: allow 2 restarts per window', change: restarts(9, 2), thresholds: { containerRestarts: { critical: 2 } }, expected: [] },
];

describe('container-restart-loop', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('gives the counts, the policy and the last exit code, and asks for the logs', () => {
    const finding = onlyFinding(evaluateDocker(rule, restarts(6, 1, true)));
    expect(finding.message).toContain('restarted 1 time during the 5 s window (6 since it was created, restart policy "always") and was seen waiting to restart; it is now restarting. Last exit code 3.');
    expect(finding.recommendation).toContain('docker logs --tail 100 shop-api-2');
  });
});
