/**
 * Regressions as findings (category "regression"), so that they count towards --fail-on
 * like any other finding. Pure.
 */
import type { BaselineComparison, MetricChange } from '../contracts/baseline.js';
import type { Finding, Severity } from '../contracts/finding.js';
import { metricLeaves, type PathSegment } from './metrics.js';

export const REGRESSION_RULE_ID = 'baseline-regression';

/** The subject kind of each metrics section (DESIGN.md section 4: host:disk:/, container:api-worker, endpoint:GET /x). */
const SECTION_KIND: Record<string, string> = {
  system: 'host',
  docker: 'container',
  postgres: 'postgres',
  pgbouncer: 'pgbouncer',
  redis: 'redis',
  api: 'api',
  load: 'load',
};
/**
 * The subject kind of an array's items, by section and array key, named like the rules name
 * the same things (host:disk:/, postgres:database:shop, container:api-1, endpoint:GET /x).
 */
const ITEM_KIND: Record<string, string> = {
  'system.mounts': 'host:disk',
  'system.diskIo': 'host:blockdev',
  'system.network': 'host:net',
  'system.perCore': 'host:cpu',
  'postgres.servers': 'postgres:server',
  'postgres.databases': 'postgres:database',
  'postgres.tables': 'postgres:table',
  'postgres.indexes': 'postgres:index',
  'postgres.sequences': 'postgres:sequence',
  'postgres.topByTotalTime': 'postgres:query',
  'postgres.topByMeanTime': 'postgres:query',
  'postgres.topByCalls': 'postgres:query',
  'pgbouncer.pools': 'pgbouncer:pool',
  'pgbouncer.stats': 'pgbouncer:database',
  'redis.queues': 'redis:queue',
  'redis.topCommandsByTime': 'redis:command',
  'redis.keyspace': 'redis:db',
  'docker.containers': 'container',
  'docker.services': 'service',
  'docker.latency': 'docker:connect',
  'load.ladder': 'load:ladder',
  'load.rates': 'load:rate',
  'api.endpoints': 'endpoint',
  'api.throughput': 'api:login-throughput',
};
/** Items that are subjects of their own kind, whatever section they sit in. */
const OWN_KIND: Record<string, string> = { endpoints: 'endpoint', endpoint: 'endpoint', containers: 'container' };

/** `host:disk:/`, `endpoint:GET /api/x`, `container:api-worker`, `host:memory`, `postgres:database:shop`, `load:ladder:25`. */
export function subjectOfPath(path: readonly PathSegment[]): string {
  const section = path[0]?.key ?? 'metrics';
  const kind = SECTION_KIND[section] ?? section;
  const items = path.filter((segment): segment is Extract<PathSegment, { item: string }> => 'item' in segment);
  const innermost = items[items.length - 1];
  if (innermost) {
    const mapped = ITEM_KIND[`${section}.${innermost.key}`] ?? OWN_KIND[innermost.key];
    return mapped ? `${mapped}:${innermost.item}` : `${kind}:${innermost.key}:${innermost.item}`;
  }
  const group = path.length > 2 ? path[1]?.key : undefined;
  return group ? `${kind}:${group}` : `${kind}:${section}`;
}

const show = (value: number | null, unit: string) => (value === null ? 'n/a' : `${Number(value.toFixed(3))}${unit === '%' ? '%' : ` ${unit}`}`);

function regressionFinding(change: MetricChange, subject: string, comparison: BaselineComparison, severity: Severity): Finding {
  const worseUp = change.direction === 'higher-is-worse';
  const pct = change.changePercent === null ? '' : `, ${change.changePercent > 0 ? '+' : ''}${change.changePercent} %`;
  const sign = (change.change ?? 0) > 0 ? '+' : '';
  const limit = change.old === null || change.noise === null ? null : Number((worseUp ? change.old + change.noise : change.old - change.noise).toFixed(3));
  return {
    ruleId: REGRESSION_RULE_ID,
    severity,
    category: 'regression',
    subject,
    title: `${change.metric} ${worseUp ? 'rose' : 'fell'} beyond the noise since the baseline`,
    message:
      `${change.metric} went from ${show(change.old, change.unit)} to ${show(change.new, change.unit)} ` +
      `(${sign}${show(change.change, change.unit)}${pct}) since the baseline of ${comparison.startedAt} (${comparison.file}); ` +
      `changes up to ${show(change.noise, change.unit)} count as noise here: ${change.basis}.`,
    evidence: { metric: change.metric, value: change.new, unit: change.unit, threshold: limit },
    recommendation:
      `Find what changed for ${subject} between ${comparison.startedAt} and this run (a deploy, a configuration change, ` +
      `data growth or more traffic) and compare the two reports with "perf-analyze compare ${comparison.file} <this report>"; ` +
      `if the new level of ${change.metric} is expected, make this report the new baseline.`,
  };
}

/** One finding per regressed metric, subject derived from the metric's place in the report. */
export function regressionFindings(comparison: BaselineComparison, currentMetrics: unknown, severity: Severity): Finding[] {
  const paths = new Map(metricLeaves(currentMetrics).map((leaf) => [leaf.id, leaf.path]));
  return comparison.metrics
    .filter((change) => change.verdict === 'regression')
    .map((change) => regressionFinding(change, subjectOfPath(paths.get(change.metric) ?? [{ key: change.metric }]), comparison, severity));
}
