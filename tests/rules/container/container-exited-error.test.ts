import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-exited-error.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const exited = (code: number, secondsAgo: number, oomKilled = false) => (docker: DockerMetrics) => {
  const worker = named(docker, 'worker');
  worker.state = 'exited';
  worker.exitCode = code;
  worker.exitedSecondsAgo = secondsAgo;
  worker.oomKilled = oomKilled;
  worker.restarts.policy = 'no';
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'exited 0 (a finished job): no finding', change: exited(0, 60), expected: [] },
  { name: 'exit 3 a minute ago: warning', change: exited(3, 60), expected: [{ subject: 'container:worker', severity: 'warning', value: 3, threshold: 0 }] },
  { name: 'exit 3 two days ago (outside 24 h): no finding', change: exited(3, 2 * 86_400), expected: [] },
  { name: 'exit 143 (docker stop): info', change: exited(143, 60), expected: [{ subject: 'container:worker', severity: 'info', value: 143, threshold: 0 }] },
  { name: 'exit 137 with OOMKilled: left to container-oom-killed', change: exited(137, 60, true), expected: [] },
];

describe('container-exited-error', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('says when, and that it stays down without a restart policy', () => {
    const finding = onlyFinding(evaluateDocker(rule, exited(3, 600)));
    expect(finding.message).toBe('worker (image shop/api:1.4) exited with code 3 10 min ago. It has no restart policy, so it stays down.');
    expect(finding.recommendation).toContain('docker logs --tail 100 worker');
  });
});
