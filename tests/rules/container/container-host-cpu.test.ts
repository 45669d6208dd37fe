import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { DockerMetrics } from '../../../src/contracts/docker.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/container/container-host-cpu.js';
import { brief, onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { evaluateDocker, named, WITHOUT_DOCKER, type DockerRuleCase } from '../../support/docker-fixture.js';

const hostCpu = (percent: number | null) => (system: SystemMetrics) => {
  system.cpu.totalPercent.value = percent;
};
/** the worker (unlimited) burning 3 of the 4 cores */
const busyWorker = (docker: DockerMetrics) => {
  named(docker, 'worker').cpu.percent.value = 300;
};

const cases: DockerRuleCase[] = [
  { name: 'healthy host: no finding', change: busyWorker, expected: [] },
  { name: 'host at 85 %: warning naming the worker', change: busyWorker, host: hostCpu(85), expected: [{ subject: 'container:worker', severity: 'warning', value: 300, threshold: 80 }] },
  { name: 'host at 97 %: critical', change: busyWorker, host: hostCpu(97), expected: [{ subject: 'container:worker', severity: 'critical', value: 300, threshold: 95 }] },
  {
    name: 'host busy but no container used CPU: no finding',
    change: (docker) => docker.containers.forEach((c) => (c.cpu.percent.value = 0)),
    host: hostCpu(97),
    expected: [],
  },
  { name: 'host CPU not measured: not applicable', host: hostCpu(null), expected: null },
];

describe('container-host-cpu', () => {
  test.each(cases)('$name', ({ change, host, thresholds, expected }) => {
    expect(brief(evaluateDocker(rule, change, thresholds, host))).toEqual(expected);
  });

  test.each(WITHOUT_DOCKER)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('names the heaviest containers and their share of the host', () => {
    const finding = onlyFinding(evaluateDocker(rule, busyWorker, undefined, hostCpu(90)));
    // 300 + 12 + 5 + 5 = 322 % of one core = 80.5 % of 4 cores
    expect(finding.message).toBe(
      "The host CPU was 90.0 % busy; containers used 80.5 % of the host's 4 cores. " +
        'Heaviest (100 % = one core): worker 300.0 % CPU, shop-db-1 12.0 % CPU, shop-api-1 5.0 % CPU and 1 more.',
    );
    expect(finding.recommendation).toContain('container worker: it has no CPU limit');
    expect(finding.recommendation).toContain('docker update --cpus N worker');
  });
});
