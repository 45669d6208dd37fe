/**
 * Hand-built SystemMetrics for rule tests: a healthy 4-core host, every value in the normal
 * range of DEFAULT_THRESHOLDS, which a test changes in place to build the case it needs.
 */
import { expect } from '@jest/globals';
import type { Artifacts } from '../../src/contracts/artifact.js';
import type { Finding, Severity } from '../../src/contracts/finding.js';
import { delta, gauge, type Metric } from '../../src/contracts/metric.js';
import type { Rule } from '../../src/contracts/rule.js';
import type { RuleInput } from '../../src/rules/engine.js';
import type { SystemMetrics } from '../../src/contracts/system.js';
import { mergeThresholds, type ThresholdOverrides } from '../../src/rules/thresholds.js';
import { evaluateRule } from '../../src/rules/engine.js';

export const SYSTEM_WINDOW_MS = 5000;
const GB = 1e9;
const MB = 1e6;

const pct = (value: number | null): Metric => delta(value, '%', SYSTEM_WINDOW_MS);
const perSec = (value: number | null, unit: string): Metric => delta(value, unit, SYSTEM_WINDOW_MS);

/**
 * A healthy host. `change` edits the fresh copy before it is returned, e.g.
 * `healthySystem((s) => { s.cpu.totalPercent.value = 81; })`.
 */
export function healthySystem(change?: (system: SystemMetrics) => void): SystemMetrics {
  const system: SystemMetrics = {
    hostname: 'web-01',
    platform: 'linux',
    kernel: '6.1.0-18-amd64',
    uptimeSeconds: 864_000,
    windowMs: SYSTEM_WINDOW_MS,
    cpu: {
      totalPercent: pct(25),
      userPercent: pct(18),
      systemPercent: pct(5),
      iowaitPercent: pct(1),
      stealPercent: pct(0),
      perCore: [
        { core: 0, busyPercent: pct(30) },
        { core: 1, busyPercent: pct(22) },
        { core: 2, busyPercent: pct(26) },
        { core: 3, busyPercent: pct(22) },
      ],
      cores: 4,
    },
    load: {
      load1: gauge(1.8, 'load'),
      load5: gauge(2, 'load'),
      load15: gauge(2.2, 'load'),
      load1PerCore: gauge(0.45, 'load/core'),
      load5PerCore: gauge(0.5, 'load/core'),
      load15PerCore: gauge(0.55, 'load/core'),
    },
    memory: {
      totalBytes: gauge(16 * GB, 'bytes'),
      usedBytes: gauge(8 * GB, 'bytes'),
      availableBytes: gauge(8 * GB, 'bytes'),
      usedPercent: gauge(50, '%'),
      swapTotalBytes: gauge(2 * GB, 'bytes'),
      swapUsedBytes: gauge(0, 'bytes'),
      swapInPagesPerSec: perSec(0, 'pages/s'),
      swapOutPagesPerSec: perSec(0, 'pages/s'),
    },
    mounts: [
      {
        mount: '/',
        device: '/dev/nvme0n1p1',
        fsType: 'ext4',
        sizeBytes: gauge(50 * GB, 'bytes'),
        usedBytes: gauge(20 * GB, 'bytes'),
        usedPercent: gauge(40, '%'),
        inodesUsedPercent: gauge(12, '%'),
      },
      {
        mount: '/var/lib/postgresql',
        device: '/dev/nvme1n1',
        fsType: 'xfs',
        sizeBytes: gauge(200 * GB, 'bytes'),
        usedBytes: gauge(60 * GB, 'bytes'),
        usedPercent: gauge(30, '%'),
        inodesUsedPercent: gauge(3, '%'),
      },
      // a snap package image: always 100 % full, and never a finding
      {
        mount: '/snap/core22/1380',
        device: '/dev/loop0',
        fsType: 'squashfs',
        sizeBytes: gauge(77 * MB, 'bytes'),
        usedBytes: gauge(77 * MB, 'bytes'),
        usedPercent: gauge(100, '%'),
        inodesUsedPercent: gauge(100, '%'),
      },
    ],
    diskIo: [
      {
        device: 'nvme0n1',
        readBytesPerSec: perSec(2 * MB, 'bytes/s'),
        writeBytesPerSec: perSec(5 * MB, 'bytes/s'),
        readOpsPerSec: perSec(40, 'ops/s'),
        writeOpsPerSec: perSec(120, 'ops/s'),
        awaitMs: perSec(1.5, 'ms'),
        utilisationPercent: pct(12),
      },
      {
        device: 'nvme1n1',
        readBytesPerSec: perSec(8 * MB, 'bytes/s'),
        writeBytesPerSec: perSec(3 * MB, 'bytes/s'),
        readOpsPerSec: perSec(300, 'ops/s'),
        writeOpsPerSec: perSec(90, 'ops/s'),
        awaitMs: perSec(0.8, 'ms'),
        utilisationPercent: pct(20),
      },
    ],
    network: [
      {
        iface: 'eth0',
        rxBytesPerSec: perSec(4 * MB, 'bytes/s'),
        txBytesPerSec: perSec(6 * MB, 'bytes/s'),
        rxPacketsPerSec: perSec(5000, 'packets/s'),
        txPacketsPerSec: perSec(6000, 'packets/s'),
        errorPercent: pct(0),
        dropPercent: pct(0),
      },
      {
        iface: 'docker0',
        rxBytesPerSec: perSec(1 * MB, 'bytes/s'),
        txBytesPerSec: perSec(1 * MB, 'bytes/s'),
        rxPacketsPerSec: perSec(800, 'packets/s'),
        txPacketsPerSec: perSec(900, 'packets/s'),
        errorPercent: pct(0),
        dropPercent: pct(0.01),
      },
    ],
    tcp: {
      outSegmentsPerSec: perSec(6000, 'segments/s'),
      retransSegmentsPerSec: perSec(3, 'segments/s'),
      retransmitPercent: pct(0.05),
    },
    pressure: {
      cpuSomeAvg10: gauge(1.2, '%'),
      memorySomeAvg10: gauge(0, '%'),
      ioSomeAvg10: gauge(0.8, '%'),
    },
    oomKillsDuringWindow: delta(0, 'kills', SYSTEM_WINDOW_MS),
    fileHandles: {
      allocated: gauge(9_600, 'handles'),
      max: gauge(1_000_000, 'handles'),
      usedPercent: gauge(0.96, '%'),
    },
    topProcessesByCpu: [
      { pid: 2314, name: 'node', command: 'node dist/server.js', cpuPercent: 42.5, rssBytes: 800 * MB },
      { pid: 871, name: 'postgres', command: 'postgres: checkpointer', cpuPercent: 12.1, rssBytes: 2.1 * GB },
      { pid: 640, name: 'redis-server', command: 'redis-server *:6379', cpuPercent: 3.4, rssBytes: 300 * MB },
    ],
    topProcessesByMemory: [
      { pid: 871, name: 'postgres', command: 'postgres: checkpointer', cpuPercent: 12.1, rssBytes: 2.1 * GB },
      { pid: 2314, name: 'node', command: 'node dist/server.js', cpuPercent: 42.5, rssBytes: 800 * MB },
      { pid: 640, name: 'redis-server', command: 'redis-server *:6379', cpuPercent: 3.4, rssBytes: 300 * MB },
    ],
    notes: [],
  };
  change?.(system);
  return system;
}

/** The artifacts of a run whose system phase succeeded with `system`. */
export function systemArtifacts(system: SystemMetrics): Artifacts {
  return { system: { status: 'ok', durationMs: SYSTEM_WINDOW_MS + 120, data: system } };
}

/** Runs where the rules have no system facts to read: every system rule must return null. */
export const WITHOUT_SYSTEM: ReadonlyArray<{ name: string; artifacts: Artifacts }> = [
  { name: 'system artifact absent', artifacts: {} },
  { name: 'system phase failed', artifacts: { system: { status: 'error', durationMs: 3, error: 'EACCES: /proc/stat' } } },
  { name: 'system phase skipped', artifacts: { system: { status: 'skipped', durationMs: 0 } } },
];

export function ruleContext(artifacts: Artifacts, overrides: ThresholdOverrides = {}): RuleInput {
  return { artifacts, thresholds: mergeThresholds(overrides) };
}

/** What a table row checks of a finding. */
export interface FindingBrief {
  subject: string;
  severity: Severity;
  value: number | string | null;
  threshold: number | string | null;
}

/** One row of a rule's table: how to change the healthy host, optional threshold overrides, what must come out. */
export interface RuleCase {
  name: string;
  change?: (system: SystemMetrics) => void;
  thresholds?: ThresholdOverrides;
  /** null = not applicable; [] = passed */
  expected: FindingBrief[] | null;
}

/**
 * Evaluates `rule` on the healthy host changed by `change`, checks that every finding is
 * complete and carries the rule's id, and returns the findings (null when not applicable).
 */
export function evaluate(rule: Rule, change?: (system: SystemMetrics) => void, overrides?: ThresholdOverrides): Finding[] | null {
  const findings = evaluateRule(rule, ruleContext(systemArtifacts(healthySystem(change)), overrides));
  for (const finding of findings ?? []) {
    expect(finding.ruleId).toBe(rule.id);
    expect(finding.title.length).toBeGreaterThan(0);
    expect(finding.message.length).toBeGreaterThan(0);
    expect(finding.recommendation.length).toBeGreaterThan(0);
    expect(finding.evidence.metric.startsWith('system.')).toBe(true);
    expect(finding.evidence.unit.length).toBeGreaterThan(0);
  }
  return findings;
}

export function brief(findings: Finding[] | null): FindingBrief[] | null {
  if (findings === null) return null;
  return findings.map(({ subject, severity, evidence }) => ({ subject, severity, value: evidence.value, threshold: evidence.threshold }));
}

/** The single finding of a case that must produce exactly one. */
export function onlyFinding(findings: Finding[] | null): Finding {
  expect(findings).toHaveLength(1);
  return (findings as Finding[])[0] as Finding;
}
