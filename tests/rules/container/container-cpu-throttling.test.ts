import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-cpu-throttling.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const throttledAt = (percent: number | null) => (docker: DockerMetrics) => {
  const api = named(docker, 'shop-api-1');
  api.cpu.throttledPercent.value = percent;
  api.cpu.throttledSecondsPerSec.value = percent === null ? null : 0.42;
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'throttled in 25 % of periods: not above', change: throttledAt(25), expected: [] },
  { name: 'throttled in 97 % of periods: warning', change: throttledAt(97), expected: [{ subject: 'container:shop-api-1', severity: 'warning', value: 97, threshold: 25 }] },
  { name: 'no quota (no periods): no finding', change: throttledAt(null), expected: [] },
  { name: 'override: warning at 50', change: throttledAt(40), thresholds: { containerThrottled: { warning: 50 } }, expected: [] },
];

describe('container-cpu-throttling', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('says how often and how long it was held back', () => {
    const finding = onlyFinding(evaluateDocker(rule, throttledAt(60)));
    expect(finding.message).toContain('throttled in 60.0 % of its CPU periods over the 5 s window (limit 1 core, held back 0.42 s per second)');
  });
});
