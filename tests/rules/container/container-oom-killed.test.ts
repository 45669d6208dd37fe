import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-oom-killed.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const killed = (limited = true) => (docker: DockerMetrics) => {
  const worker = named(docker, 'shop-api-2');
  worker.oomKilled = true;
  worker.state = 'exited';
  worker.exitCode = 137;
  worker.exitedSecondsAgo = 300;
  if (!limited) worker.memory.limitBytes = null;
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'OOMKilled at its limit: critical', change: killed(), expected: [{ subject: 'container:shop-api-2', severity: 'critical', value: 1, threshold: 0 }] },
  { name: 'OOMKilled without a limit: critical', change: killed(false), expected: [{ subject: 'container:shop-api-2', severity: 'critical', value: 1, threshold: 0 }] },
];

describe('container-oom-killed', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('names the limit, the state and when', () => {
    const finding = onlyFinding(evaluateDocker(rule, killed()));
    expect(finding.message).toContain('was killed by the kernel OOM killer at its 512.0 MiB memory limit; it is now exited with exit code 137, 5 min ago.');
    const unlimited = onlyFinding(evaluateDocker(rule, killed(false)));
    expect(unlimited.message).toContain('no container limit: the host ran out of memory');
    expect(unlimited.recommendation).toContain('Give service "api" of compose project "shop" a memory limit');
  });
});
