/**
 * Compares two reports: every metric old vs new, judged against noise, and the findings
 * that are new, resolved and unchanged. Pure: no I/O, no clock.
 *
 * Noise model (docs/baselines.md):
 * - a latency percentile (a key p50 / p95Ms / pingP99Ms ... with a sample count: the Metric's
 *   `samples` or a sibling `samples`, see metrics.ts) is
 *   compared with its sample counts: the standard error of a p-quantile from n samples is
 *   s(p) * sqrt(p (1 - p) / n), where s(p) = dx/dp is the sparsity at p, estimated from the
 *   neighbouring percentiles of the same report (or, for a lone percentile, from an
 *   exponential tail: s(p) = x_p / ((1 - p) * -ln(1 - p))). A difference is a regression only
 *   when it is larger than confidenceZ standard errors of the difference AND than the
 *   practical minimum (percentileMinChangePercent of the old value, and the unit's absolute
 *   tolerance). The normal approximation behind that standard error needs samples on both sides
 *   of the percentile: with fewer than MIN_TAIL_SAMPLES expected beyond it (n * min(p, 1 - p);
 *   a p99 of 40 samples is the largest sample or so) the samples cannot tell, and the
 *   percentile is reported unchanged with that reason, never a regression;
 * - every other metric (rates, utilisations, gauges) with a tolerance: the larger of the
 *   unit's absolute tolerance and relativePercent of the old value; for a percentage, of the
 *   old value's distance to the nearer bound, min(old, 100 - old): a share varies least near 0
 *   and 100 % (binomially, as sqrt(p (1 - p))), so a cache hit rate falling from 99.8 % to 80 %
 *   is not hidden behind a quarter of 99.8;
 * - not judged (neutral): volumes, sizes, counters since start, and the minimum or maximum of
 *   a set of samples (one sample: its change says nothing a percentile does not say better).
 *   Ratios and averages since a reset (cache hit %, average query time) are judged: they are
 *   not counters, though they move slowly.
 */
import type { BaselineComparison, Direction, FindingRef, MetricChange, Verdict } from '../contracts/baseline.js';
import type { Finding } from '../contracts/finding.js';
import { globMatches, metricLeaves, type MetricLeaf } from './metrics.js';

export interface ComparisonOptions {
  /** a change smaller than this share of the old value is noise (rates, utilisations, gauges) */
  relativePercent: number;
  /** per unit ("%" in percentage points, "ms", "load/core", ...): a change smaller than this is noise */
  absolute: Record<string, number>;
  /** percentiles: how many standard errors of the difference before a change counts */
  confidenceZ: number;
  /** percentiles: the smallest change that matters, as a share of the old value */
  percentileMinChangePercent: number;
  /** metric ids (with * wildcards) left out of the comparison */
  ignore: readonly string[];
}

/** The report fields a comparison reads; older schema versions have at least these. */
export interface ComparableReport {
  schemaVersion: string;
  startedAt: string;
  metrics: unknown;
  findings: readonly Finding[];
}

const VOLUME_UNITS = new Set(['bytes', 'bytes/s', 'packets/s', 'ops/s', 'segments/s', 'B', 'B/s']);
const WORSE_WHEN_HIGHER_UNITS = new Set(['%', 'ms', 'µs', 's', 'load', 'load/core']);
/** units of a ratio or an average: meaningful even when accumulated since a reset */
const AVERAGE_UNITS = new Set(['%', 'ms', 'µs']);
const LOWER_IS_WORSE = /hit|available|free|throughput|requestspersec|rps|capacity|success|score|knee/;
const NEUTRAL_NAMES = /total|size|max|limit|cores|allocated|uptime|window|configured/;
/** never judged, whatever the unit: key hygiene (TTLs) and how much of a sample was read */
const NOT_JUDGED_NAMES = /ttl|coverage|share/;
/** memory a process or container holds: its growth is a leak or a bigger working set */
const MEMORY_HELD = /workingset|rss/;
const HIGHER_IS_WORSE = /error|drop|retrans|swap|oom|kill|pressure|wait|steal|evict|reject|timeout|slow|dead|bloat|lag|queue|latency|conflict|restart|throttl|fail|blocked|lock/;

/** Which way is worse, from the metric's name, unit and sampling (see Direction). */
export function directionOf(leaf: MetricLeaf): Direction {
  if (leaf.extreme) return 'neutral';
  const last = leaf.path[leaf.path.length - 1];
  const name = (last?.key ?? '').toLowerCase();
  if (leaf.metric.sampling === 'cumulative' && (!AVERAGE_UNITS.has(leaf.metric.unit) || NEUTRAL_NAMES.test(name))) return 'neutral';
  if (leaf.quantile !== undefined) return 'higher-is-worse';
  if (NOT_JUDGED_NAMES.test(name)) return 'neutral';
  if (MEMORY_HELD.test(name)) return 'higher-is-worse';
  if (VOLUME_UNITS.has(leaf.metric.unit)) return 'neutral';
  // the group a number sits in may say it (cacheHit.tablePercent, throughput[...].loginsPerSecond)
  const parentSegment = leaf.path[leaf.path.length - 2];
  const parent = parentSegment && !('item' in parentSegment) ? parentSegment.key.toLowerCase() : '';
  if (LOWER_IS_WORSE.test(name) || LOWER_IS_WORSE.test(parent)) return 'lower-is-worse';
  if (WORSE_WHEN_HIGHER_UNITS.has(leaf.metric.unit)) return 'higher-is-worse';
  if (NEUTRAL_NAMES.test(name)) return 'neutral';
  if (HIGHER_IS_WORSE.test(name)) return 'higher-is-worse';
  return 'neutral';
}

const round = (value: number, digits = 3) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** Standard error of a quantile estimate (see the module comment). */
export function quantileStandardError(leaf: MetricLeaf, siblings: readonly MetricLeaf[]): number | null {
  const p = leaf.quantile;
  const n = leaf.metric.samples;
  const x = leaf.metric.value;
  if (p === undefined || n === undefined || n <= 0 || x === null) return null;
  const neighbours = siblings
    .filter((s) => s.quantile !== undefined && s.quantile !== p && s.metric.value !== null)
    .sort((a, b) => (a.quantile ?? 0) - (b.quantile ?? 0));
  const below = neighbours.filter((s) => (s.quantile ?? 0) < p).pop();
  const above = neighbours.find((s) => (s.quantile ?? 0) > p);
  const slopes: number[] = [];
  if (below) slopes.push((x - (below.metric.value ?? 0)) / (p - (below.quantile ?? 0)));
  if (above) slopes.push(((above.metric.value ?? 0) - x) / ((above.quantile ?? 0) - p));
  const usable = slopes.filter((slope) => Number.isFinite(slope) && slope > 0);
  const sparsity =
    usable.length > 0 ? usable.reduce((a, b) => a + b, 0) / usable.length : x / ((1 - p) * -Math.log(1 - p));
  return sparsity * Math.sqrt((p * (1 - p)) / n);
}

/** The other percentiles of the same distribution (same parent, same key prefix). */
function siblingsOf(leaf: MetricLeaf, all: readonly MetricLeaf[]): MetricLeaf[] {
  return all.filter((other) => other.quantile !== undefined && other.distribution === leaf.distribution);
}

/** Samples expected beyond a percentile before its standard error is trusted (binomial rule of thumb n p (1 - p) >= 5). */
export const MIN_TAIL_SAMPLES = 5;

function judge(
  oldLeaf: MetricLeaf,
  newLeaf: MetricLeaf,
  oldAll: readonly MetricLeaf[],
  newAll: readonly MetricLeaf[],
  options: ComparisonOptions,
): MetricChange {
  const oldValue = oldLeaf.metric.value;
  const newValue = newLeaf.metric.value;
  const unit = newLeaf.metric.unit;
  const direction = directionOf(newLeaf);
  const base = { metric: newLeaf.id, unit, old: oldValue, new: newValue, direction };
  if (oldValue === null || newValue === null || oldLeaf.metric.unit !== unit) {
    const why = oldLeaf.metric.unit !== unit ? `units differ (${oldLeaf.metric.unit} vs ${unit})` : 'a value was not measured';
    return { ...base, change: null, changePercent: null, verdict: 'not-comparable', noise: null, basis: why };
  }
  const change = round(newValue - oldValue);
  const changePercent = oldValue === 0 ? null : round(((newValue - oldValue) / Math.abs(oldValue)) * 100, 1);
  const absolute = options.absolute[unit] ?? 0;

  let noise: number;
  let basis: string;
  let samples: MetricChange['samples'];
  const oldError = quantileStandardError(oldLeaf, siblingsOf(oldLeaf, oldAll));
  const newError = quantileStandardError(newLeaf, siblingsOf(newLeaf, newAll));
  const tail = (leaf: MetricLeaf) => (leaf.metric.samples ?? 0) * Math.min(leaf.quantile ?? 0, 1 - (leaf.quantile ?? 0));
  if (newLeaf.quantile !== undefined && oldError !== null && newError !== null && Math.min(tail(oldLeaf), tail(newLeaf)) < MIN_TAIL_SAMPLES) {
    samples = { old: oldLeaf.metric.samples ?? 0, new: newLeaf.metric.samples ?? 0 };
    const p = newLeaf.quantile;
    const needed = Math.ceil(MIN_TAIL_SAMPLES / Math.min(p, 1 - p));
    if (directionOf(newLeaf) !== 'neutral') {
      return {
        ...base, change, changePercent, verdict: 'unchanged', noise: null, samples,
        basis: `not judged: ${samples.old} / ${samples.new} samples are too few for p${Math.round(p * 1000) / 10} (at least ${needed} needed, ${MIN_TAIL_SAMPLES} beyond it)`,
      };
    }
  }
  if (newLeaf.quantile !== undefined && oldError !== null && newError !== null) {
    samples = { old: oldLeaf.metric.samples ?? 0, new: newLeaf.metric.samples ?? 0 };
    const statistical = options.confidenceZ * Math.sqrt(oldError ** 2 + newError ** 2);
    const practical = Math.max(absolute, (options.percentileMinChangePercent / 100) * Math.abs(oldValue));
    noise = Math.max(statistical, practical);
    basis =
      statistical >= practical
        ? `${options.confidenceZ} standard errors of the difference (${round(statistical)} ${unit}) from ${samples.old} / ${samples.new} samples`
        : `the practical minimum max(${absolute} ${unit}, ${options.percentileMinChangePercent} % of old); the samples (${samples.old} / ${samples.new}) tell apart ${round(statistical)} ${unit}`;
  } else {
    const bounded = unit === '%' && oldValue >= 0 && oldValue <= 100;
    const relative = (options.relativePercent / 100) * (bounded ? Math.min(oldValue, 100 - oldValue) : Math.abs(oldValue));
    noise = Math.max(absolute, relative);
    basis = bounded
      ? `max(${absolute} points, ${options.relativePercent} % of min(old, 100 - old))`
      : `max(${absolute} ${unit}, ${options.relativePercent} % of old)`;
  }
  noise = round(noise);

  let verdict: Verdict;
  if (direction === 'neutral') {
    verdict = 'neutral';
    basis = newLeaf.extreme ? 'not judged (the minimum or maximum of the samples: one sample)' : 'not judged (volume, size or counter since start)';
  } else {
    const worse = direction === 'higher-is-worse' ? newValue - oldValue : oldValue - newValue;
    verdict = worse > noise ? 'regression' : -worse > noise ? 'improvement' : 'unchanged';
  }
  return { ...base, change, changePercent, verdict, noise, basis, ...(samples ? { samples } : {}) };
}

const findingKey = (finding: Pick<Finding, 'ruleId' | 'subject'>) => `${finding.ruleId}\u0000${finding.subject}`;

function findingRef(finding: Finding): FindingRef {
  return { ruleId: finding.ruleId, subject: finding.subject, severity: finding.severity, title: finding.title };
}

/** Findings new, resolved and unchanged (same rule and subject); regression findings are left out of both sides. */
export function compareFindings(oldFindings: readonly Finding[], newFindings: readonly Finding[]): BaselineComparison['findings'] {
  const relevant = (findings: readonly Finding[]) => findings.filter((finding) => finding.category !== 'regression');
  const oldByKey = new Map(relevant(oldFindings).map((finding) => [findingKey(finding), finding]));
  const newByKey = new Map(relevant(newFindings).map((finding) => [findingKey(finding), finding]));
  const result: BaselineComparison['findings'] = { new: [], resolved: [], unchanged: [] };
  for (const [key, finding] of newByKey) {
    const before = oldByKey.get(key);
    if (!before) result.new.push(findingRef(finding));
    else
      result.unchanged.push({
        ...findingRef(finding),
        ...(before.severity !== finding.severity ? { previousSeverity: before.severity } : {}),
      });
  }
  for (const [key, finding] of oldByKey) if (!newByKey.has(key)) result.resolved.push(findingRef(finding));
  return result;
}

export function compareReports(
  baseline: ComparableReport,
  current: ComparableReport,
  options: ComparisonOptions,
  file: string,
): BaselineComparison {
  const kept = (leaves: MetricLeaf[]) => leaves.filter((leaf) => !options.ignore.some((pattern) => globMatches(pattern, leaf.id)));
  const oldLeaves = kept(metricLeaves(baseline.metrics));
  const newLeaves = kept(metricLeaves(current.metrics));
  const oldById = new Map(oldLeaves.map((leaf) => [leaf.id, leaf]));
  const newIds = new Set(newLeaves.map((leaf) => leaf.id));

  const metrics: MetricChange[] = [];
  for (const leaf of newLeaves) {
    const before = oldById.get(leaf.id);
    if (before) {
      metrics.push(judge(before, leaf, oldLeaves, newLeaves, options));
    } else {
      metrics.push({
        metric: leaf.id, unit: leaf.metric.unit, old: null, new: leaf.metric.value, change: null, changePercent: null,
        direction: directionOf(leaf), verdict: 'added', noise: null, basis: 'not in the baseline',
      });
    }
  }
  for (const leaf of oldLeaves) {
    if (newIds.has(leaf.id)) continue;
    metrics.push({
      metric: leaf.id, unit: leaf.metric.unit, old: leaf.metric.value, new: null, change: null, changePercent: null,
      direction: directionOf(leaf), verdict: 'removed', noise: null, basis: 'not in this report',
    });
  }

  const count = (verdict: Verdict) => metrics.filter((change) => change.verdict === verdict).length;
  return {
    file,
    startedAt: baseline.startedAt,
    schemaVersion: baseline.schemaVersion,
    tolerance: {
      relativePercent: options.relativePercent,
      absolute: { ...options.absolute },
      confidenceZ: options.confidenceZ,
      percentileMinChangePercent: options.percentileMinChangePercent,
    },
    metrics,
    findings: compareFindings(baseline.findings, current.findings),
    regressions: metrics.filter((change) => change.verdict === 'regression').map((change) => change.metric),
    improvements: metrics.filter((change) => change.verdict === 'improvement').map((change) => change.metric),
    summary: {
      compared: metrics.filter((change) => !['added', 'removed', 'not-comparable'].includes(change.verdict)).length,
      regressions: count('regression'),
      improvements: count('improvement'),
      unchanged: count('unchanged'),
      neutral: count('neutral'),
      added: count('added'),
      removed: count('removed'),
      notComparable: count('not-comparable'),
    },
  };
}
