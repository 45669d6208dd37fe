/**
 * A realistic, complete Report for reporter, schema and CLI tests: a 4-core host with a
 * disk almost full and some swap activity; Docker, PostgreSQL, Redis and the API not
 * configured (their phases skipped with reason "not configured"). Every value is a
 * plausible reading, and summary/scores agree with the findings.
 */
import { healthyApi } from './api-fixture.js';
import type { PhaseId, PhaseRecord } from '../../src/contracts/artifact.js';
import type { Finding } from '../../src/contracts/finding.js';
import { delta, gauge } from '../../src/contracts/metric.js';
import type { Report } from '../../src/contracts/report.js';
import type { SystemMetrics } from '../../src/contracts/system.js';

/** The window the system collector sampled over. */
export const FIXTURE_WINDOW_MS = 5000;
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const pct = (value: number | null) => delta(value, '%', FIXTURE_WINDOW_MS);
const perSec = (value: number | null, unit: string) => delta(value, unit, FIXTURE_WINDOW_MS);

export function buildSystemMetrics(): SystemMetrics {
  return {
    hostname: 'web-01',
    platform: 'linux',
    kernel: '6.1.0-18-amd64',
    uptimeSeconds: 1_209_600,
    windowMs: FIXTURE_WINDOW_MS,
    cpu: {
      totalPercent: { ...pct(47.3), samples: 2 },
      userPercent: pct(31.8),
      systemPercent: pct(9.6),
      iowaitPercent: pct(4.1),
      stealPercent: pct(0.4),
      perCore: [
        { core: 0, busyPercent: pct(62.5) },
        { core: 1, busyPercent: pct(48.1) },
        { core: 2, busyPercent: pct(41.0) },
        { core: 3, busyPercent: pct(37.6) },
      ],
      cores: 4,
    },
    load: {
      load1: gauge(3.12, 'load'),
      load5: gauge(6.48, 'load'),
      load15: gauge(5.9, 'load'),
      load1PerCore: gauge(0.78, 'load/core'),
      load5PerCore: gauge(1.62, 'load/core'),
      load15PerCore: gauge(1.48, 'load/core'),
    },
    memory: {
      totalBytes: gauge(16 * GiB, 'bytes'),
      usedBytes: gauge(13.9 * GiB, 'bytes'),
      availableBytes: gauge(2.1 * GiB, 'bytes'),
      usedPercent: gauge(86.9, '%'),
      swapTotalBytes: gauge(2 * GiB, 'bytes'),
      swapUsedBytes: gauge(412 * MiB, 'bytes'),
      swapInPagesPerSec: perSec(12.4, 'pages/s'),
      swapOutPagesPerSec: perSec(38.2, 'pages/s'),
    },
    mounts: [
      {
        mount: '/',
        device: '/dev/nvme0n1p2',
        fsType: 'ext4',
        sizeBytes: gauge(100 * GiB, 'bytes'),
        usedBytes: gauge(96.4 * GiB, 'bytes'),
        usedPercent: gauge(96.4, '%'),
        inodesUsedPercent: gauge(31.2, '%'),
      },
      {
        mount: '/boot',
        device: '/dev/nvme0n1p1',
        fsType: 'vfat',
        sizeBytes: gauge(512 * MiB, 'bytes'),
        usedBytes: gauge(61 * MiB, 'bytes'),
        usedPercent: gauge(11.9, '%'),
        inodesUsedPercent: gauge(null, '%'),
      },
    ],
    diskIo: [
      {
        device: 'nvme0n1',
        readBytesPerSec: perSec(4.2 * MiB, 'bytes/s'),
        writeBytesPerSec: perSec(11.8 * MiB, 'bytes/s'),
        readOpsPerSec: perSec(310, 'ops/s'),
        writeOpsPerSec: perSec(522, 'ops/s'),
        awaitMs: perSec(3.7, 'ms'),
        utilisationPercent: pct(41.5),
      },
    ],
    network: [
      {
        iface: 'eth0',
        rxBytesPerSec: perSec(2.4 * MiB, 'bytes/s'),
        txBytesPerSec: perSec(5.1 * MiB, 'bytes/s'),
        rxPacketsPerSec: perSec(4210, 'packets/s'),
        txPacketsPerSec: perSec(5030, 'packets/s'),
        errorPercent: pct(0),
        dropPercent: pct(0.02),
      },
    ],
    tcp: {
      outSegmentsPerSec: perSec(5120, 'segments/s'),
      retransSegmentsPerSec: perSec(11, 'segments/s'),
      retransmitPercent: pct(0.21),
    },
    pressure: {
      cpuSomeAvg10: gauge(3.5, '%'),
      memorySomeAvg10: gauge(12.8, '%'),
      ioSomeAvg10: gauge(6.2, '%'),
    },
    oomKillsDuringWindow: delta(0, 'kills', FIXTURE_WINDOW_MS),
    fileHandles: {
      allocated: gauge(14_560, 'handles'),
      max: gauge(1_623_736, 'handles'),
      usedPercent: gauge(0.9, '%'),
    },
    topProcessesByCpu: [
      { pid: 2211, name: 'postgres', command: 'postgres: app app 10.0.0.5(51234) SELECT', cpuPercent: 78.4, rssBytes: 212 * MiB },
      { pid: 1893, name: 'node', command: 'node dist/server.js', cpuPercent: 54.1, rssBytes: 480 * MiB },
      { pid: 1402, name: 'redis-server', command: 'redis-server *:6379', cpuPercent: 6.3, rssBytes: 96 * MiB },
    ],
    topProcessesByMemory: [
      { pid: 1893, name: 'node', command: 'node dist/server.js', cpuPercent: 54.1, rssBytes: 480 * MiB },
      { pid: 2211, name: 'postgres', command: 'postgres: app app 10.0.0.5(51234) SELECT', cpuPercent: 78.4, rssBytes: 212 * MiB },
    ],
    notes: ['uptime since boot is reported as read; no rate is derived from it'],
  };
}

/** A finding with plausible defaults; override what the test is about. */
export function buildFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'system.disk-usage',
    severity: 'critical',
    category: 'disk',
    subject: 'host:disk:/',
    title: 'Filesystem almost full',
    message: 'The filesystem mounted on / is 96.4% full (96.4 GiB of 100 GiB); writes will fail when it fills up.',
    evidence: { metric: 'disk.usedPercent', value: 96.4, unit: '%', threshold: 95 },
    recommendation: 'Free space on / (old logs, images, WAL archives) or grow the volume.',
    ...overrides,
  };
}

export function buildFindings(): Finding[] {
  return [
    buildFinding(),
    buildFinding({
      ruleId: 'system.swap-activity',
      severity: 'warning',
      category: 'memory',
      subject: 'host:memory',
      title: 'Swapping during the window',
      message: 'The host swapped 50.6 pages per second (12.4 in, 38.2 out) while memory was 86.9% used.',
      evidence: { metric: 'memory.swapPagesPerSec', value: 50.6, unit: 'pages/s', threshold: 0 },
      recommendation: 'Reduce memory use or add memory: set container memory limits and size database buffers to the host.',
    }),
    buildFinding({
      ruleId: 'system.load-per-core',
      severity: 'warning',
      category: 'cpu',
      subject: 'host:cpu',
      title: 'Load above 1.5 per core',
      message: 'The 5-minute load average is 6.48 on 4 cores (1.62 per core): tasks are waiting for CPU or I/O.',
      evidence: { metric: 'load.load5PerCore', value: 1.62, unit: 'load/core', threshold: 1.5 },
      recommendation: 'Find the busiest processes (see topProcessesByCpu) and move background work off this host.',
    }),
    buildFinding({
      ruleId: 'system.pressure',
      severity: 'warning',
      category: 'memory',
      subject: 'host:pressure:memory',
      title: 'Memory pressure stalls',
      message: 'Some task was stalled on memory 12.8% of the last 10 seconds (PSI memory some avg10).',
      evidence: { metric: 'pressure.memorySomeAvg10', value: 12.8, unit: '%', threshold: 10 },
      // the same advice as the swap finding: the summary must list it once
      recommendation: 'Reduce memory use or add memory: set container memory limits and size database buffers to the host.',
    }),
    buildFinding({
      ruleId: 'system.memory-usage',
      severity: 'info',
      category: 'memory',
      subject: 'host:memory',
      title: 'Memory above 85%',
      message: '86.9% of memory is in use (13.9 GiB of 16 GiB, 2.1 GiB available).',
      evidence: { metric: 'memory.usedPercent', value: 86.9, unit: '%', threshold: 85 },
      recommendation: 'Watch the trend; plan more memory if usage keeps growing.',
    }),
    buildFinding({
      ruleId: 'system.tcp-retransmits',
      severity: 'info',
      category: 'network',
      subject: 'host:tcp',
      title: 'TCP retransmissions seen',
      message: '0.21% of sent TCP segments were retransmitted during the window.',
      evidence: { metric: 'tcp.retransmitPercent', value: 0.21, unit: '%', threshold: null },
      recommendation: '',
    }),
  ];
}

const cost = (cpuUserMs: number, cpuSystemMs: number, rssMiB: number) => ({
  cpuUserMs,
  cpuSystemMs,
  rssBytes: rssMiB * MiB,
});

function phase(id: PhaseId, status: PhaseRecord['status'], durationMs: number, reason?: string): PhaseRecord {
  const record: PhaseRecord = { id, status, durationMs, cost: status === 'skipped' ? cost(0, 0, 71) : cost(140, 30, 74) };
  if (reason !== undefined) record.reason = reason;
  return record;
}

export function buildPhases(): PhaseRecord[] {
  return [
    phase('prerequisites', 'ok', 38.4),
    phase('system', 'ok', 5612.7),
    phase('docker', 'skipped', 0, 'not configured'),
    phase('database', 'skipped', 0, 'not configured'),
    phase('api', 'skipped', 0, 'not configured'),
    phase('insights', 'ok', 4.2),
    phase('report', 'ok', 11.9),
  ];
}

/** A complete report; `overrides` replace whole top-level fields. */
export function buildReport(overrides: Partial<Report> = {}): Report {
  const findings = overrides.findings ?? buildFindings();
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const recommendations = new Set(findings.map((f) => f.recommendation.trim()).filter((r) => r.length > 0)).size;
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'perf-analyze', version: '0.1.0' },
    startedAt: '2025-08-06T14:30:22.000Z',
    finishedAt: '2025-08-06T14:30:27.781Z',
    durationMs: 5781.2,
    interrupted: false,
    environment: {
      hostname: 'web-01',
      platform: 'linux',
      arch: 'x64',
      cpus: 4,
      node: 'v20.20.0',
      totalMemoryBytes: 16 * GiB,
    },
    target: {
      host: 'web-01',
      components: {
        database: { configured: false },
        system: { configured: true },
        cache: { configured: false },
        api: { configured: false },
      },
    },
    phases: buildPhases(),
    metrics: {
      prerequisites: {
        checks: [
          { id: 'node-version', ok: true, durationMs: 0.1, detail: 'Node v20.20.0 (>= 20.18.1 required)' },
          { id: 'output-dir-writable', ok: true, durationMs: 1.8, detail: 'reports/ is writable' },
          { id: 'docker-reachable', ok: false, durationMs: 36.2, detail: 'not configured (no DOCKER_HOST, no --docker-host)' },
        ],
      },
      system: buildSystemMetrics(),
      api: healthyApi(),
    },
    findings,
    rules: [
      { ruleId: 'system.disk-usage', outcome: 'failed', findings: 1 },
      { ruleId: 'system.swap-activity', outcome: 'failed', findings: 1 },
      { ruleId: 'system.load-per-core', outcome: 'failed', findings: 1 },
      { ruleId: 'system.pressure', outcome: 'failed', findings: 1 },
      { ruleId: 'system.memory-usage', outcome: 'failed', findings: 1 },
      { ruleId: 'system.tcp-retransmits', outcome: 'failed', findings: 1 },
      { ruleId: 'system.cpu-usage', outcome: 'passed', findings: 0 },
      { ruleId: 'system.oom-kills', outcome: 'passed', findings: 0 },
      { ruleId: 'container.memory-limit', outcome: 'not-applicable', findings: 0 },
    ],
    scores: {
      health: 58,
      components: {
        database: { score: null, configured: false, basis: 'not configured' },
        system: { score: 58, configured: true, basis: 'disk / at 96.4%, swapping, load 1.62 per core' },
        cache: { score: null, configured: false, basis: 'not configured' },
        api: { score: null, configured: false, basis: 'not configured' },
      },
      weights: { system: 1 },
      nominalWeights: { database: 0.4, system: 0.35, cache: 0.25 },
    },
    assessment: 'POOR',
    summary: { critical: count('critical'), warning: count('warning'), info: count('info'), recommendations },
    notMeasured: [
      'docker: not configured (no --docker-host, no DOCKER_HOST)',
      'database: not configured (no --database-url, no DATABASE_URL)',
      'cache: not configured (no --redis-url, no REDIS_URL)',
      'api: not configured (no --api-url, no PERF_API_URL)',
    ],
    profiler: { wallMs: 5781.2, cpuUserMs: 612.4, cpuSystemMs: 118.9, peakRssBytes: 86 * MiB },
    ...overrides,
  };
}
