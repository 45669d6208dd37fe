/**
 * The comparison and the Prometheus exporter over the shapes every phase really writes (the
 * fixtures the rules are tested with): API endpoint latencies with their sample counts, the load
 * ladder per level, PostgreSQL, PgBouncer, Redis and Docker. Each change is found on the exact
 * subject it was made to, and nowhere else.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { compareReports, directionOf, type ComparableReport, type ComparisonOptions } from '../../src/baseline/compare.js';
import { regressionFindings } from '../../src/baseline/findings.js';
import { metricLeaves } from '../../src/baseline/metrics.js';
import { DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_BASELINE_IGNORE } from '../../src/config/baseline-schema.js';
import type { ApiMetrics } from '../../src/contracts/api.js';
import type { DockerMetrics } from '../../src/contracts/docker.js';
import type { LoadMetrics } from '../../src/contracts/load.js';
import type { PgBouncerMetrics, PostgresMetrics } from '../../src/contracts/postgres.js';
import type { RedisMetrics } from '../../src/contracts/redis.js';
import type { Report } from '../../src/contracts/report.js';
import { renderPrometheus } from '../../src/reporters/prom.js';
import { healthyApi, latency as apiLatency } from '../support/api-fixture.js';
import { healthyDocker, named } from '../support/docker-fixture.js';
import { buildLoadMetrics } from '../support/load-fixture.js';
import { healthyPgBouncer, healthyPostgres } from '../support/postgres-fixture.js';
import { checkExposition } from '../support/prom-check.js';
import { buildRedisMetrics } from '../support/redis-fixture.js';
import { buildReport, buildSystemMetrics } from '../support/report-fixture.js';

const OPTIONS: ComparisonOptions = {
  relativePercent: 25,
  absolute: { ...DEFAULT_ABSOLUTE_TOLERANCE },
  confidenceZ: 3,
  percentileMinChangePercent: 10,
  ignore: DEFAULT_BASELINE_IGNORE,
};

interface Changes {
  api?: (api: ApiMetrics) => void;
  load?: (load: LoadMetrics) => void;
  postgres?: (postgres: PostgresMetrics) => void;
  pgbouncer?: (pgbouncer: PgBouncerMetrics) => void;
  redis?: (redis: RedisMetrics) => void;
  docker?: (docker: DockerMetrics) => void;
}

/** report.metrics of a run with every phase, from the rule fixtures, changed as asked */
function allPhases(changes: Changes = {}): Report['metrics'] {
  return {
    system: buildSystemMetrics(),
    api: healthyApi(changes.api),
    load: buildLoadMetrics(changes.load),
    postgres: healthyPostgres(changes.postgres),
    pgbouncer: healthyPgBouncer(changes.pgbouncer),
    redis: buildRedisMetrics(changes.redis),
    docker: healthyDocker(changes.docker),
  };
}

const asReport = (metrics: unknown): ComparableReport => ({ schemaVersion: '1.1.0', startedAt: '2026-01-01T03:15:00.000Z', metrics, findings: [] });

function compare(changes: Changes, options = OPTIONS) {
  const after = allPhases(changes);
  const comparison = compareReports(asReport(allPhases()), asReport(after), options, 'reports/old.json');
  const subjects = [...new Set(regressionFindings(comparison, after, 'warning').map((finding) => finding.subject))].sort();
  return { comparison, subjects, change: (id: string) => comparison.metrics.find((entry) => entry.metric === id) };
}

const PROFILE = 'api.endpoints[name=GET /api/v1/user/profile].latency';

describe('metric leaves of every phase', () => {
  const leaves = metricLeaves(allPhases());
  const leaf = (id: string) => {
    const found = leaves.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no leaf ${id}; leaves: ${leaves.map((l) => l.id).filter((l) => l.startsWith(id.split('.')[0]!)).join(', ')}`);
    return found;
  };

  it('API endpoint latencies are percentiles with the sample count of their summary; min and max are not judged', () => {
    expect(leaf(`${PROFILE}.p95Ms`)).toMatchObject({ quantile: 0.95, metric: { unit: 'ms', samples: 20 } });
    expect(leaf(`${PROFILE}.p95Ms`).metric.value).toBeCloseTo(5.4, 6);
    expect(leaf(`${PROFILE}.p50Ms`).quantile).toBe(0.5);
    expect(directionOf(leaf(`${PROFILE}.p99Ms`))).toBe('higher-is-worse');
    expect(directionOf(leaf(`${PROFILE}.maxMs`))).toBe('neutral');
    expect(directionOf(leaf('api.endpoints[name=GET /api/v1/user/profile].errorRatePercent'))).toBe('higher-is-worse');
    // configuration echoed in the report is no measurement
    expect(leaves.some((candidate) => candidate.id.includes('thresholds'))).toBe(false);
  });

  it('the load ladder per level (named by its concurrency), the open-model rates by their target rate', () => {
    expect(leaf('load.ladder[concurrency=50].latency.p95Ms')).toMatchObject({ quantile: 0.95, metric: { value: 40, samples: 18000 } });
    expect(directionOf(leaf('load.ladder[concurrency=50].throughputRps'))).toBe('lower-is-worse');
    expect(directionOf(leaf('load.ladder[concurrency=50].errorPercent'))).toBe('higher-is-worse');
    expect(leaf('load.rates[targetRps=100].asSentLatency.p99Ms').quantile).toBe(0.99);
    expect(leaves.some((candidate) => /\.(targetRps|concurrency)$/.test(candidate.id))).toBe(false);
    expect(leaves.some((candidate) => candidate.id.startsWith('load.limits'))).toBe(false);
  });

  it('PostgreSQL: average query time and cache hit since the reset are judged, TPS is traffic (not judged)', () => {
    expect(directionOf(leaf('postgres.databases[name=shop].statements.averageMs'))).toBe('higher-is-worse');
    expect(directionOf(leaf('postgres.databases[name=shop].cacheHit.tablePercent'))).toBe('lower-is-worse');
    expect(directionOf(leaf('postgres.databases[name=shop].stats.transactionsPerSec'))).toBe('neutral');
    expect(leaf('postgres.servers[server=127.0.0.1:5432].latency.p99Ms').metric.samples).toBeGreaterThan(0);
    expect(directionOf(leaf('pgbouncer.stats[database=shop].avgWaitMs'))).toBe('higher-is-worse');
  });

  it('Redis: the hit rate, and the PING percentiles with their sibling sample count', () => {
    expect(directionOf(leaf('redis.stats.hitRatePercent'))).toBe('lower-is-worse');
    expect(leaf('redis.latency.pingP99Ms')).toMatchObject({ quantile: 0.99, prefix: 'ping', metric: { samples: 100 } });
    expect(directionOf(leaf('redis.latency.pingMaxMs'))).toBe('neutral');
  });

  it('Docker: container CPU and memory held are judged, traffic is not', () => {
    expect(directionOf(leaf('docker.containers[name=shop-api-1].cpu.percent'))).toBe('higher-is-worse');
    expect(directionOf(leaf('docker.containers[name=shop-api-1].memory.workingSetBytes'))).toBe('higher-is-worse');
    expect(directionOf(leaf('docker.containers[name=shop-api-1].network.rxBytesPerSec'))).toBe('neutral');
    expect(leaf('docker.latency[name=api].p99Ms').metric.samples).toBe(20);
  });
});

describe('comparison of every phase', () => {
  it('the same run twice: no regression, and the judged metrics of every phase were compared', () => {
    const { comparison, subjects } = compare({});
    expect(subjects).toEqual([]);
    const judged = comparison.metrics.filter((change) => change.verdict === 'unchanged').map((change) => change.metric.split(/[.[]/)[0]);
    expect(new Set(judged)).toEqual(new Set(['system', 'api', 'load', 'postgres', 'pgbouncer', 'redis', 'docker']));
  });

  it('+100 ms on one endpoint with 2000 samples: that endpoint and nothing else', () => {
    const samples = (api: ApiMetrics) => api.endpoints.forEach((endpoint) => (endpoint.latency = apiLatency(endpoint.latency.p50Ms!, endpoint.latency.p95Ms!, 2000)));
    const before = allPhases({ api: samples });
    const after = allPhases({
      api: (api) => {
        samples(api);
        const profile = api.endpoints.find((endpoint) => endpoint.path === '/api/v1/user/profile')!;
        profile.latency = apiLatency(104.5, 105.4, 2000);
      },
    });
    const comparison = compareReports(asReport(before), asReport(after), OPTIONS, 'old.json');
    const findings = regressionFindings(comparison, after, 'warning');
    expect([...new Set(findings.map((finding) => finding.subject))]).toEqual(['endpoint:GET /api/v1/user/profile']);
    expect(comparison.regressions).toEqual(expect.arrayContaining([`${PROFILE}.p50Ms`, `${PROFILE}.p95Ms`, `${PROFILE}.p99Ms`]));
    const p95 = comparison.metrics.find((change) => change.metric === `${PROFILE}.p95Ms`)!;
    expect(p95.samples).toEqual({ old: 2000, new: 2000 });
    expect(findings.find((finding) => finding.evidence.metric === `${PROFILE}.p95Ms`)?.message).toMatch(/from 5\.4 ms to 105\.4 ms/);
  });

  it('the same +30 ms on p99 is a regression with 2000 samples and noise with 10', () => {
    const slower = (samples: number) => (api: ApiMetrics) => {
      for (const endpoint of api.endpoints) endpoint.latency = apiLatency(20, 40, samples);
      api.endpoints[1]!.latency.p99Ms = 74; // 44 -> 74 ms
    };
    const base = (samples: number) => (api: ApiMetrics) => api.endpoints.forEach((endpoint) => (endpoint.latency = apiLatency(20, 40, samples)));
    const verdict = (samples: number) =>
      compareReports(asReport(allPhases({ api: base(samples) })), asReport(allPhases({ api: slower(samples) })), OPTIONS, 'o').metrics.find(
        (change) => change.metric === `${PROFILE}.p99Ms`,
      )!;
    expect(verdict(2000).verdict).toBe('regression');
    expect(verdict(10).verdict).toBe('unchanged');
    expect(verdict(10).basis).toMatch(/10 \/ 10 samples are too few for p99 \(at least 500 needed/);
  });

  it('one load level slower and with less throughput: that level only', () => {
    const { subjects, change } = compare({
      load: (load) => {
        const level = load.ladder.find((run) => run.concurrency === 50)!;
        level.latency = { ...level.latency, p50Ms: 40, p90Ms: 72, p95Ms: 80, p99Ms: 120 };
        level.throughputRps = 1200;
        level.successRps = 1200;
      },
    });
    expect(subjects).toEqual(['load:ladder:50']);
    expect(change('load.ladder[concurrency=50].latency.p95Ms')).toMatchObject({ verdict: 'regression', samples: { old: 18000, new: 18000 } });
    expect(change('load.ladder[concurrency=50].throughputRps')?.verdict).toBe('regression');
  });

  it('Redis hit rate down and PING p50 up: redis:stats and redis:latency; a p99 of 100 samples is not judged', () => {
    const { subjects, change } = compare({
      redis: (redis) => {
        redis.stats!.hitRatePercent.value = 60;
        redis.latency!.pingP50Ms.value = 5;
        redis.latency!.pingP99Ms.value = 9;
      },
    });
    expect(subjects).toEqual(['redis:latency', 'redis:stats']);
    expect(change('redis.latency.pingP50Ms')).toMatchObject({ verdict: 'regression', samples: { old: 100, new: 100 } });
    expect(change('redis.latency.pingP99Ms')?.basis).toMatch(/too few for p99/);
  });

  it('PostgreSQL: average query time up and cache hit down name the database; a TPS change is shown, not judged', () => {
    const { subjects, change } = compare({
      postgres: (postgres) => {
        const shop = postgres.databases[0]!;
        shop.statements!.averageMs.value = 9;
        shop.cacheHit!.tablePercent.value = 80;
        shop.stats!.transactionsPerSec.value = 20;
      },
    });
    expect(subjects).toEqual(['postgres:database:shop']);
    expect(change('postgres.databases[name=shop].statements.averageMs')?.verdict).toBe('regression');
    expect(change('postgres.databases[name=shop].cacheHit.tablePercent')?.verdict).toBe('regression');
    expect(change('postgres.databases[name=shop].stats.transactionsPerSec')).toMatchObject({ verdict: 'neutral', old: 120, new: 20 });
  });

  it('Docker: CPU and working set of one container name that container', () => {
    const { subjects } = compare({
      docker: (docker) => {
        named(docker, 'shop-api-2').cpu.percent.value = 80;
        named(docker, 'worker').memory.workingSetBytes.value = 400 * 1024 ** 2;
      },
    });
    expect(subjects).toEqual(['container:shop-api-2', 'container:worker']);
  });
});

describe('Prometheus exposition of every phase', () => {
  const text = renderPrometheus(buildReport({ metrics: allPhases() }));
  const { problems, samples, types } = checkExposition(text);
  const find = (name: string, labels: Record<string, string>) =>
    samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));

  it('is valid exposition text', () => {
    expect(problems).toEqual([]);
  });

  it('endpoint latencies and load levels are summaries with quantiles and their sample counts, in seconds', () => {
    expect(types.perf_analyze_api_endpoints_latency_seconds).toBe('summary');
    expect(find('perf_analyze_api_endpoints_latency_seconds', { name: 'GET /api/v1/user/profile', quantile: '0.95' })?.value).toBeCloseTo(0.0054, 6);
    expect(find('perf_analyze_api_endpoints_latency_seconds_count', { name: 'GET /api/v1/user/profile' })?.value).toBe(20);
    expect(find('perf_analyze_load_ladder_latency_seconds', { concurrency: '50', quantile: '0.95' })?.value).toBeCloseTo(0.04, 6);
    expect(find('perf_analyze_load_ladder_throughput_requests_per_second', { concurrency: '50' })?.value).toBe(1800);
    expect(find('perf_analyze_redis_latency_ping_seconds', { quantile: '0.99' })?.value).toBeCloseTo(0.0009, 7);
    expect(find('perf_analyze_redis_latency_ping_seconds_count', {})?.value).toBe(100);
  });

  it('PostgreSQL, Redis and Docker gauges carry their subject as a label', () => {
    expect(find('perf_analyze_postgres_databases_statements_average_seconds', { name: 'shop' })?.value).toBeCloseTo(0.002, 6);
    expect(find('perf_analyze_postgres_databases_cache_hit_table_ratio', { name: 'shop' })?.value).toBeCloseTo(0.998, 6);
    expect(find('perf_analyze_postgres_databases_stats_transactions_per_second', { name: 'shop' })?.value).toBe(120);
    expect(find('perf_analyze_redis_stats_hit_rate_ratio', {})?.value).toBeCloseTo(0.9667, 6);
    expect(find('perf_analyze_docker_containers_cpu_ratio', { name: 'shop-db-1' })?.value).toBeCloseTo(0.12, 6);
    expect(find('perf_analyze_docker_containers_memory_working_set_bytes', { name: 'shop-db-1' })?.value).toBe(300 * 1024 ** 2);
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  // CI installs promtool (.ci/run): there a missing one is a failure, not a skip
  (promtool || process.env.CI ? it : it.skip)('passes promtool check metrics', () => {
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
  });
});
