import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import { rule } from '../../../src/rules/container/container-cpu-limit.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

/** shop-api-2 (limit 1 core) at `percent` % CPU */
const apiAt = (percent: number | null, limitCores: number | null = 1) => (docker: DockerMetrics) => {
  const api = named(docker, 'shop-api-2');
  api.cpu.percent.value = percent;
  api.cpu.limitCores = limitCores;
  api.cpu.percentOfLimit.value = percent === null || limitCores === null ? null : percent / limitCores;
};

const cases: DockerRuleCase[] = [
  { name: 'healthy stack: no finding', expected: [] },
  { name: 'at 80 % of its limit: not above the warning', change: apiAt(80), expected: [] },
  { name: 'at 81 % of one core: warning', change: apiAt(81), expected: [{ subject: 'container:shop-api-2', severity: 'warning', value: 81, threshold: 80 }] },
  { name: '48 % CPU on a 0.5 core limit (96 %): critical', change: apiAt(48, 0.5), expected: [{ subject: 'container:shop-api-2', severity: 'critical', value: 96, threshold: 95 }] },
  { name: 'unlimited container at 300 % CPU: not this rule (host rules cover it)', change: apiAt(300, null), expected: [] },
  { name: 'CPU not measured (appeared during the window)', change: apiAt(null), expected: [] },
  { name: 'override: warning at 90', change: apiAt(85), thresholds: { containerCpu: { warning: 90 } }, expected: [] },
];

describe('container-cpu-limit', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('says how much CPU, of which limit, and names the compose service to change', () => {
    const finding = onlyFinding(evaluateDocker(rule, apiAt(48, 0.5)));
    expect(finding.message).toContain('shop-api-2 (shop/api, image shop/api:1.4) used 48.0 % CPU (100 % = one core)');
    expect(finding.message).toContain('96.0 % of its 0.5 core limit');
    expect(finding.recommendation).toContain('service "api" of compose project "shop"');
    expect(finding.recommendation).toContain('docker top shop-api-2');
  });
});
