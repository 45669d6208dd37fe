/**
 * Hand-built DockerMetrics for rule, reporter and schema tests: a healthy compose stack
 * (two api replicas, a database with a health check, a worker outside compose) on a 4-core
 * engine, every value well inside DEFAULT_THRESHOLDS. A test changes a fresh copy in place.
 */
import type { Artifacts } from '../../src/contracts/artifact.js';
import type { ContainerMetrics, DockerMetrics } from '../../src/contracts/docker.js';
import { delta, gauge } from '../../src/contracts/metric.js';
import { groupByService } from '../../src/collectors/docker/groups.js';
import type { Finding } from '../../src/contracts/finding.js';
import type { Rule } from '../../src/contracts/rule.js';
import type { SystemMetrics } from '../../src/contracts/system.js';
import type { ThresholdOverrides } from '../../src/rules/thresholds.js';
import { expect } from '@jest/globals';
import { healthySystem, ruleContext, type FindingBrief } from './system-fixture.js';
import { evaluateRule } from '../../src/rules/engine.js';

export const DOCKER_WINDOW_MS = 5000;
const MB = 1024 ** 2;

const rate = (value: number | null, unit: string) => delta(value, unit, DOCKER_WINDOW_MS);

export interface ContainerShape {
  name: string;
  project?: string | null;
  service?: string | null;
  cpuPercent?: number;
  limitCores?: number | null;
  throttledPercent?: number | null;
  workingSetMb?: number;
  limitMb?: number | null;
}

/** A healthy running container; `shape` sets the identity and the main numbers. */
export function container(shape: ContainerShape): ContainerMetrics {
  const cpuPercent = shape.cpuPercent ?? 5;
  const limitCores = shape.limitCores === undefined ? 1 : shape.limitCores;
  const workingSet = (shape.workingSetMb ?? 100) * MB;
  const limit = shape.limitMb === undefined ? 512 * MB : shape.limitMb === null ? null : shape.limitMb * MB;
  return {
    id: `${shape.name.replace(/[^a-f0-9]/g, 'a')}000000000000`.slice(0, 12),
    name: shape.name,
    image: 'shop/api:1.4',
    project: shape.project === undefined ? 'shop' : shape.project,
    service: shape.service === undefined ? 'api' : shape.service,
    state: 'running',
    health: null,
    restarts: { count: 0, duringWindow: 0, restartingSeen: false, policy: 'unless-stopped' },
    oomKilled: false,
    exitCode: null,
    exitedSecondsAgo: null,
    cpu: {
      percent: rate(cpuPercent, '%'),
      limitCores,
      percentOfLimit: rate(limitCores === null ? null : cpuPercent / limitCores, '%'),
      throttledPercent: rate(shape.throttledPercent === undefined ? (limitCores === null ? null : 0) : shape.throttledPercent, '%'),
      throttledSecondsPerSec: rate(limitCores === null ? null : 0, 's/s'),
    },
    memory: {
      workingSetBytes: gauge(workingSet, 'bytes'),
      usageBytes: gauge(workingSet + 20 * MB, 'bytes'),
      limitBytes: limit,
      percentOfLimit: gauge(limit === null ? null : (workingSet / limit) * 100, '%'),
    },
    network: { rxBytesPerSec: rate(12_000, 'bytes/s'), txBytesPerSec: rate(48_000, 'bytes/s') },
    blockIo: { readBytesPerSec: rate(0, 'bytes/s'), writeBytesPerSec: rate(4096, 'bytes/s') },
    pids: { current: gauge(12, 'pids'), limit: 512, percentOfLimit: gauge(2.34, '%') },
    publishedPorts: [],
  };
}

export function healthyDocker(change?: (docker: DockerMetrics) => void): DockerMetrics {
  const db = container({ name: 'shop-db-1', service: 'db', cpuPercent: 12, limitCores: 2, workingSetMb: 300, limitMb: 1024 });
  db.image = 'postgres:16';
  db.health = { status: 'healthy', failingStreak: 0, lastOutput: 'accepting connections', lastExitCode: 0 };
  const api1 = container({ name: 'shop-api-1' });
  api1.publishedPorts = [{ ip: '0.0.0.0', publicPort: 8000, privatePort: 8000, type: 'tcp' }];
  const docker: DockerMetrics = {
    engine: {
      host: 'unix:///var/run/docker.sock',
      version: '24.0.7',
      apiVersion: '1.43',
      os: 'linux',
      cgroupVersion: '2',
      cpus: 4,
      memoryBytes: 16 * 1024 * MB,
    },
    windowMs: DOCKER_WINDOW_MS,
    containersByState: { running: 4, exited: 1 },
    filteredOut: 1,
    containers: [api1, container({ name: 'shop-api-2' }), db, container({ name: 'worker', project: null, service: null, limitCores: null, limitMb: null })],
    services: [],
    latency: [
      { name: 'api', host: '127.0.0.1', port: 8000, samples: 20, failures: 0, p50Ms: 0.21, p99Ms: 0.9, maxMs: 0.9, error: null },
      { name: 'container:shop-api-1 8000/tcp', host: '127.0.0.1', port: 8000, samples: 20, failures: 1, p50Ms: 0.2, p99Ms: 1.1, maxMs: 1.1, error: 'ECONNRESET' },
    ],
    recentExitSeconds: 86_400,
    notes: ['stats of worker-old failed: the Docker engine answered HTTP 500'],
  };
  change?.(docker);
  docker.services = groupByService(docker.containers);
  return docker;
}

/** Artifacts holding a healthy host and the given Docker facts. */
export function dockerArtifacts(docker: DockerMetrics = healthyDocker()): Artifacts {
  return {
    system: { status: 'ok', durationMs: DOCKER_WINDOW_MS, data: healthySystem() },
    docker: { status: 'ok', durationMs: DOCKER_WINDOW_MS + 800, data: docker },
  };
}

/** The container called `name` (throws when absent, so a typo fails the test). */
export function named(docker: DockerMetrics, name: string): ContainerMetrics {
  const found = docker.containers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no container ${name} in the fixture`);
  return found;
}

/** One row of a container rule's table. */
export interface DockerRuleCase {
  name: string;
  change?: (docker: DockerMetrics) => void;
  /** changes the host too (for the rules that read both artifacts) */
  host?: (system: SystemMetrics) => void;
  thresholds?: ThresholdOverrides;
  /** null = not applicable; [] = passed */
  expected: FindingBrief[] | null;
}

/**
 * Evaluates `rule` on the healthy stack changed by `change` (and `host`), checks every finding
 * is complete, names a `container:` subject and carries the rule's id; returns the findings.
 */
export function evaluateDocker(
  rule: Rule,
  change?: (docker: DockerMetrics) => void,
  overrides?: ThresholdOverrides,
  host?: (system: SystemMetrics) => void,
): Finding[] | null {
  const artifacts = dockerArtifacts(healthyDocker(change));
  artifacts.system!.data = healthySystem(host);
  const findings = evaluateRule(rule, ruleContext(artifacts, overrides));
  for (const finding of findings ?? []) {
    expect(finding.ruleId).toBe(rule.id);
    expect(finding.subject).toMatch(/^container:[\w.-]+$/);
    expect(finding.title.length).toBeGreaterThan(0);
    expect(finding.message.length).toBeGreaterThan(0);
    expect(finding.recommendation).toMatch(/docker|compose/);
    expect(finding.evidence.metric.startsWith('docker.')).toBe(true);
    expect(finding.evidence.unit.length).toBeGreaterThan(0);
  }
  return findings;
}

/** Artifacts where the rules have no Docker facts to read: every container rule must return null. */
export const WITHOUT_DOCKER: ReadonlyArray<{ name: string; artifacts: Artifacts }> = [
  { name: 'docker phase not configured', artifacts: { system: { status: 'ok', durationMs: 1, data: healthySystem() } } },
  {
    name: 'docker phase failed',
    artifacts: {
      system: { status: 'ok', durationMs: 1, data: healthySystem() },
      docker: { status: 'error', durationMs: 3, error: 'permission denied on unix:///var/run/docker.sock' },
    },
  },
];
