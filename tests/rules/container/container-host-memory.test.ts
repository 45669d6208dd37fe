import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/container/container-host-memory.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const GB = 1e9;
const hostMemory = (percent: number) => (system: SystemMetrics) => {
  system.memory.usedPercent.value = percent;
};
const bigWorker = (docker: DockerMetrics) => {
  named(docker, 'worker').memory.workingSetBytes.value = 9 * GB;
};

const cases: DockerRuleCase[] = [
  { name: 'healthy host: no finding', change: bigWorker, expected: [] },
  { name: 'host at 90 %: info (spec resource table 85 %)', change: bigWorker, host: hostMemory(90), expected: [{ subject: 'container:worker', severity: 'info', value: 9 * GB, threshold: 85 }] },
  { name: 'host at 96 %: warning', change: bigWorker, host: hostMemory(96), expected: [{ subject: 'container:worker', severity: 'warning', value: 9 * GB, threshold: 95 }] },
  { name: 'host at 99 %: critical', change: bigWorker, host: hostMemory(99), expected: [{ subject: 'container:worker', severity: 'critical', value: 9 * GB, threshold: 98 }] },
];

describe('container-host-memory', () => {
  test.each(cases)('$name', ({ change, host, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds, host))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('names the largest containers and what they hold of the host', () => {
    const finding = onlyFinding(evaluateDocker(rule, bigWorker, undefined, hostMemory(96)));
    expect(finding.message).toBe(
      'Host memory was 96.0 % used; containers hold 8.9 GiB (59.5 % of 14.9 GiB). ' +
        'Largest: worker 8.4 GiB working set, shop-db-1 300.0 MiB working set, shop-api-1 100.0 MiB working set and 1 more.',
    );
    expect(finding.recommendation).toContain('container worker: it has no memory limit');
  });
});
