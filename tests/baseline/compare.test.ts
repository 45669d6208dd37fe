import { describe, expect, it } from '@jest/globals';
import { compareReports, directionOf, quantileStandardError, type ComparableReport, type ComparisonOptions } from '../../src/baseline/compare.js';
import { regressionFindings, subjectOfPath } from '../../src/baseline/findings.js';
import { metricLeaves } from '../../src/baseline/metrics.js';
import { DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_BASELINE_IGNORE } from '../../src/config/baseline-schema.js';
import type { Metric } from '../../src/contracts/metric.js';
import { buildFinding, buildReport } from '../support/report-fixture.js';

const OPTIONS: ComparisonOptions = {
  relativePercent: 25,
  absolute: { ...DEFAULT_ABSOLUTE_TOLERANCE },
  confidenceZ: 3,
  percentileMinChangePercent: 10,
  ignore: DEFAULT_BASELINE_IGNORE,
};

const g = (value: number | null, unit: string): Metric => ({ value, unit, sampling: 'gauge' });
const d = (value: number | null, unit: string): Metric => ({ value, unit, sampling: 'delta', windowMs: 5000 });
const latency = (p50: number, p95: number, p99: number, samples: number) => ({
  p50: { ...g(p50, 'ms'), samples },
  p95: { ...g(p95, 'ms'), samples },
  p99: { ...g(p99, 'ms'), samples },
});

function report(metrics: unknown, findings = [] as ComparableReport['findings']): ComparableReport {
  return { schemaVersion: '1.1.0', startedAt: '2026-01-01T03:15:00.000Z', metrics, findings };
}

/** a host with one disk and an API with two endpoints, in the shapes collectors write */
function metrics(changes: { cpu?: number; disk?: number; profileP95?: number; samples?: number; rx?: number; hit?: number } = {}) {
  const samples = changes.samples ?? 2000;
  return {
    system: {
      cpu: { totalPercent: d(changes.cpu ?? 40, '%'), perCore: [{ core: 0, busyPercent: d(40, '%') }] },
      mounts: [{ mount: '/', usedPercent: g(changes.disk ?? 60, '%'), sizeBytes: g(1e11, 'bytes') }],
      network: [{ iface: 'eth0', rxBytesPerSec: d(changes.rx ?? 1e6, 'bytes/s') }],
      uptime: { value: 100, unit: 's', sampling: 'cumulative' },
    },
    api: {
      endpoints: [
        { name: 'GET /api/v1/user/profile', latency: latency(80, changes.profileP95 ?? 120, 200, samples) },
        { name: 'GET /health', latency: latency(2, 4, 6, samples) },
      ],
    },
    redis: { hitRatePercent: d(changes.hit ?? 95, '%') },
  };
}

const verdictOf = (comparison: ReturnType<typeof compareReports>, id: string) => comparison.metrics.find((change) => change.metric === id)?.verdict;
const P95 = 'api.endpoints[name=GET /api/v1/user/profile].latency.p95';

describe('metricLeaves', () => {
  it('names array items by their identity key and finds percentiles', () => {
    const ids = metricLeaves(metrics()).map((leaf) => leaf.id);
    expect(ids).toContain('system.mounts[mount=/].usedPercent');
    expect(ids).toContain('system.network[iface=eth0].rxBytesPerSec');
    expect(ids).toContain(P95);
    expect(metricLeaves(metrics()).find((leaf) => leaf.id === P95)?.quantile).toBe(0.95);
  });
});

describe('compareReports', () => {
  it('an unchanged pair has no regression', () => {
    const result = compareReports(report(metrics()), report(metrics()), OPTIONS, 'old.json');
    expect(result.regressions).toEqual([]);
    expect(result.summary.unchanged).toBeGreaterThan(0);
  });

  it('a real regression is flagged: disk +20 points, p95 +100 ms on 2000 samples', () => {
    const result = compareReports(report(metrics()), report(metrics({ disk: 80, profileP95: 220 })), OPTIONS, 'old.json');
    expect(result.regressions.sort()).toEqual([P95, 'system.mounts[mount=/].usedPercent'].sort());
    const p95 = result.metrics.find((change) => change.metric === P95)!;
    expect(p95).toMatchObject({ old: 120, new: 220, change: 100, direction: 'higher-is-worse', samples: { old: 2000, new: 2000 } });
    // the other endpoint is untouched
    expect(verdictOf(result, 'api.endpoints[name=GET /health].latency.p95')).toBe('unchanged');
  });

  it('a difference within the noise is not: disk +5 points, cpu +8 points, p95 +8 ms', () => {
    const result = compareReports(report(metrics()), report(metrics({ disk: 65, cpu: 48, profileP95: 128 })), OPTIONS, 'old.json');
    expect(result.regressions).toEqual([]);
  });

  it('percentiles: the same +30 ms is a regression with 5000 samples and noise with 20', () => {
    const many = compareReports(report(metrics({ samples: 5000 })), report(metrics({ samples: 5000, profileP95: 150 })), OPTIONS, 'o');
    const few = compareReports(report(metrics({ samples: 20 })), report(metrics({ samples: 20, profileP95: 150 })), OPTIONS, 'o');
    expect(verdictOf(many, P95)).toBe('regression');
    expect(verdictOf(few, P95)).toBe('unchanged');
    expect(few.metrics.find((change) => change.metric === P95)!.basis).toMatch(/20 \/ 20 samples are too few for p95 \(at least 100 needed/);
    // with enough samples on both sides the standard error decides: 200 samples tell +100 ms apart, not +20 ms
    const judged = (p95: number) => verdictOf(compareReports(report(metrics({ samples: 200 })), report(metrics({ samples: 200, profileP95: p95 })), OPTIONS, 'o'), P95);
    expect(judged(220)).toBe('regression');
    expect(judged(140)).toBe('unchanged');
  });

  it('the standard error shrinks with the square root of the sample count', () => {
    const leaves = (n: number) => metricLeaves({ l: latency(80, 120, 200, n) });
    const se = (n: number) => {
      const all = leaves(n);
      return quantileStandardError(all[1]!, all)!;
    };
    expect(se(100) / se(400)).toBeCloseTo(2, 5);
  });

  it('lower-is-worse metrics regress when they fall; volumes, sizes and counters are not judged', () => {
    const result = compareReports(report(metrics()), report(metrics({ hit: 60, rx: 9e6 })), OPTIONS, 'o');
    expect(verdictOf(result, 'redis.hitRatePercent')).toBe('regression');
    expect(verdictOf(result, 'system.network[iface=eth0].rxBytesPerSec')).toBe('neutral');
    expect(verdictOf(result, 'system.uptime')).toBe('neutral');
    expect(verdictOf(result, 'system.mounts[mount=/].sizeBytes')).toBe('neutral');
  });

  it('improvements, ignored metrics, added and removed ones', () => {
    const before = metrics({ disk: 90 });
    const after = metrics({ disk: 50 }) as Record<string, unknown>;
    delete after.redis;
    (after.system as Record<string, unknown>).load = { load5PerCore: g(0.5, 'load/core') };
    const result = compareReports(report(before), report(after), OPTIONS, 'o');
    expect(result.improvements).toEqual(['system.mounts[mount=/].usedPercent']);
    expect(verdictOf(result, 'redis.hitRatePercent')).toBe('removed');
    expect(verdictOf(result, 'system.load.load5PerCore')).toBe('added');
    expect(result.metrics.some((change) => change.metric.startsWith('system.cpu.perCore'))).toBe(false);
  });

  it('tolerances are configurable', () => {
    const strict = { ...OPTIONS, absolute: { ...OPTIONS.absolute, '%': 1 }, relativePercent: 1 };
    const result = compareReports(report(metrics()), report(metrics({ cpu: 48 })), strict, 'o');
    expect(result.regressions).toEqual(['system.cpu.totalPercent']);
  });

  it('a null value is not comparable, never a regression', () => {
    const after = metrics();
    after.system.cpu.totalPercent = d(null, '%');
    expect(verdictOf(compareReports(report(metrics()), report(after), OPTIONS, 'o'), 'system.cpu.totalPercent')).toBe('not-comparable');
  });

  it('findings: new, resolved and unchanged by rule and subject; regression findings left out', () => {
    const disk = buildFinding({ ruleId: 'host-disk-space', subject: 'host:disk:/', severity: 'warning' });
    const swap = buildFinding({ ruleId: 'host-swap-activity', subject: 'host:memory' });
    const cpu = buildFinding({ ruleId: 'host-cpu-utilisation', subject: 'host:cpu' });
    const regression = buildFinding({ ruleId: 'baseline-regression', category: 'regression', subject: 'host:cpu' });
    const result = compareReports(
      report(metrics(), [disk, swap, regression]),
      report(metrics(), [{ ...disk, severity: 'critical' }, cpu]),
      OPTIONS,
      'o',
    );
    expect(result.findings.new.map((ref) => ref.ruleId)).toEqual(['host-cpu-utilisation']);
    expect(result.findings.resolved.map((ref) => ref.ruleId)).toEqual(['host-swap-activity']);
    expect(result.findings.unchanged).toEqual([expect.objectContaining({ ruleId: 'host-disk-space', severity: 'critical', previousSeverity: 'warning' })]);
  });
});

describe('regression findings', () => {
  it('one finding per regression, category regression, subject of the metric, evidence with the limit', () => {
    const after = metrics({ profileP95: 220, disk: 80 });
    const comparison = compareReports(report(metrics()), report(after), OPTIONS, 'reports/old.json');
    const findings = regressionFindings(comparison, after, 'warning');
    expect(findings.map((finding) => finding.subject).sort()).toEqual(['endpoint:GET /api/v1/user/profile', 'host:disk:/']);
    const p95 = findings.find((finding) => finding.subject.startsWith('endpoint:'))!;
    expect(p95).toMatchObject({ ruleId: 'baseline-regression', category: 'regression', severity: 'warning', evidence: { metric: P95, value: 220, unit: 'ms' } });
    expect(p95.evidence.threshold).toBeGreaterThan(120);
    expect(p95.evidence.threshold).toBeLessThan(220);
    expect(p95.message).toMatch(/from 120 ms to 220 ms/);
    expect(p95.recommendation).toContain('reports/old.json');
  });

  it('subjects for other shapes', () => {
    expect(subjectOfPath([{ key: 'system' }, { key: 'memory' }, { key: 'usedPercent' }])).toBe('host:memory');
    expect(subjectOfPath([{ key: 'docker' }, { key: 'containers', label: 'name', item: 'api-worker' }, { key: 'cpuPercent' }])).toBe('container:api-worker');
    expect(subjectOfPath([{ key: 'redis' }, { key: 'hitRatePercent' }])).toBe('redis:redis');
  });
});

describe('directionOf on the host metrics of a real report', () => {
  it('judges utilisation, latency and errors; leaves volumes and sizes alone', () => {
    const leaves = metricLeaves(buildReport().metrics);
    const direction = (id: string) => directionOf(leaves.find((leaf) => leaf.id === id)!);
    expect(direction('system.cpu.totalPercent')).toBe('higher-is-worse');
    expect(direction('system.mounts[mount=/].usedPercent')).toBe('higher-is-worse');
    expect(direction('system.memory.swapInPagesPerSec')).toBe('higher-is-worse');
    expect(direction('system.memory.totalBytes')).toBe('neutral');
    expect(direction('system.network[iface=eth0].rxBytesPerSec')).toBe('neutral');
  });
});
