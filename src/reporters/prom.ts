/**
 * Prometheus text exposition format 0.0.4: every measured metric of the report (generic over
 * the metrics tree, like the baseline comparison), the health, performance and component
 * scores, finding counts and regressions. Names follow the Prometheus conventions: a
 * perf_analyze_ prefix, snake_case, base units as a suffix (% -> _ratio 0-1, ms -> _seconds,
 * bytes, X/s -> _X_per_second); array items become labels (mount, iface, device, endpoint, ...);
 * latency percentiles (p50, p95Ms, pingP99Ms, ... see baseline/metrics.ts) become a summary per
 * distribution with quantile labels and their sample count as _count (api endpoints, the load
 * ladder per level, PostgreSQL and Redis round trips, Docker connect times). Pure.
 */
import type { Report } from '../contracts/report.js';
import type { Reporter } from '../contracts/reporter.js';
import { metricLeaves, type MetricLeaf } from '../baseline/metrics.js';

export const PROM_PREFIX = 'perf_analyze';

type Labels = Array<[string, string]>;
interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'summary';
  samples: Array<{ suffix: string; labels: Labels; value: number }>;
}

const snake = (text: string) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');

/** Label names: [a-zA-Z_][a-zA-Z0-9_]*, never reserved (__*, quantile, le). */
function labelName(key: string): string {
  let name = snake(key) || 'item';
  if (/^\d/.test(name)) name = `_${name}`;
  if (name.startsWith('__') || name === 'quantile' || name === 'le') name = `item_${name.replace(/^_+/, '')}`;
  return name;
}

export const escapeLabelValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** How a unit becomes a base-unit suffix, the factor to get there, and the name words it replaces. */
function unitConversion(unit: string): { suffix: string; factor: number; strip: string[][] } {
  switch (unit) {
    case '%':
      return { suffix: 'ratio', factor: 0.01, strip: [['percent'], ['pct']] };
    case 'ms':
      return { suffix: 'seconds', factor: 0.001, strip: [['ms'], ['millis'], ['milliseconds']] };
    case 'us':
    case 'µs':
      return { suffix: 'seconds', factor: 1e-6, strip: [['us'], ['micros'], ['microseconds']] };
    case 's':
      return { suffix: 'seconds', factor: 1, strip: [['s'], ['sec'], ['secs'], ['seconds']] };
    case 'bytes':
    case 'B':
      return { suffix: 'bytes', factor: 1, strip: [['bytes']] };
    case 'count':
    case 'load':
    case '':
      return { suffix: '', factor: 1, strip: [['count']] };
    case 'load/core':
      return { suffix: '', factor: 1, strip: [] };
    default: {
      const perPeriod = /^(.+)\/(s|min|h)$/.exec(unit);
      if (perPeriod) {
        const thing = snake(perPeriod[1]!.replace(/^B$/, 'bytes').replace(/^s$/, 'seconds'));
        const period = { s: 'second', min: 'minute', h: 'hour' }[perPeriod[2] as 's' | 'min' | 'h'];
        const shortPeriods = { s: ['sec', 'second'], min: ['min', 'minute'], h: ['hour', 'h'] }[perPeriod[2] as 's' | 'min' | 'h'];
        const words = thing.split('_');
        return {
          suffix: `${thing}_per_${period}`,
          factor: 1,
          strip: [
            ...shortPeriods.map((short) => [...words, 'per', short]),
            ...shortPeriods.map((short) => ['per', short]),
            ...(thing === 'requests' ? [['rps']] : []),
          ],
        };
      }
      return { suffix: snake(unit), factor: 1, strip: [snake(unit).split('_')] };
    }
  }
}

/**
 * The family name of a leaf, its labels and factor. A percentile's family is its distribution:
 * the path without the percentile key, plus the key's prefix (pingP99Ms -> ..._ping_seconds).
 */
function describe(leaf: MetricLeaf, asDistribution: boolean): { name: string; labels: Labels; factor: number } {
  const path = asDistribution
    ? [...leaf.path.slice(0, -1), ...(leaf.prefix ? [{ key: leaf.prefix }] : [])]
    : leaf.path;
  const conversion = unitConversion(leaf.metric.unit);
  const tokens = path.flatMap((segment) => snake(segment.key).split('_')).filter((token) => token !== '');
  for (const words of conversion.strip) {
    if (words.length > 0 && words.length < tokens.length && words.every((word, i) => tokens[tokens.length - words.length + i] === word)) {
      tokens.splice(tokens.length - words.length);
      break;
    }
  }
  const suffixTokens = conversion.suffix === '' ? [] : conversion.suffix.split('_');
  // a gauge may not end in the suffixes reserved for counters, histograms and summaries
  if (suffixTokens.length === 0) {
    while (tokens.length > 1 && ['total', 'count', 'sum', 'bucket', 'info'].includes(tokens[tokens.length - 1]!)) tokens.pop();
  }
  const alreadySuffixed = suffixTokens.length > 0 && suffixTokens.every((word, i) => tokens[tokens.length - suffixTokens.length + i] === word);
  const name = [PROM_PREFIX, ...tokens, ...(alreadySuffixed ? [] : suffixTokens)].join('_');
  const labels: Labels = [];
  for (const segment of path) {
    if ('item' in segment) {
      const label = labelName(segment.label);
      labels.push([labels.some(([existing]) => existing === label) ? `${label}_${labels.length}` : label, segment.item]);
    }
  }
  return { name, labels, factor: conversion.factor };
}

const formatValue = (value: number) => (Number.isFinite(value) ? String(Number(value.toPrecision(12))) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN');

function addSample(families: Map<string, Family>, family: Omit<Family, 'samples'>, sample: Family['samples'][number]): void {
  let entry = families.get(family.name);
  if (!entry) {
    entry = { ...family, samples: [] };
    families.set(family.name, entry);
  } else if (entry.type !== family.type) {
    return; // a name taken by another kind of family: the first one wins
  }
  const key = `${sample.suffix}|${JSON.stringify(sample.labels)}`;
  if (entry.samples.some((existing) => `${existing.suffix}|${JSON.stringify(existing.labels)}` === key)) return;
  entry.samples.push(sample);
}

export function renderPrometheus(report: Report): string {
  const families = new Map<string, Family>();
  const gauge = (name: string, help: string, value: number, labels: Labels = []) =>
    addSample(families, { name: `${PROM_PREFIX}_${name}`, help, type: 'gauge' }, { suffix: '', labels, value });

  gauge('info', 'perf-analyze version, report schema and assessment of the run (always 1)', 1, [
    ['version', report.tool.version],
    ['schema_version', report.schemaVersion],
    ['assessment', report.assessment],
  ]);
  const started = Date.parse(report.startedAt);
  if (Number.isFinite(started)) gauge('run_start_timestamp_seconds', 'When the run started (Unix time)', started / 1000);
  gauge('run_duration_seconds', 'Wall-clock length of the run', report.durationMs / 1000);
  gauge('run_interrupted', '1 when the run was interrupted and the report is partial', report.interrupted ? 1 : 0);
  gauge('health_score', 'Health score 0-100 (database 40 %, system 35 %, cache 25 %, over the configured components)', report.scores.health);
  if (report.scores.performance !== undefined) gauge('performance_score', 'API performance score 0-100', report.scores.performance);
  for (const [component, score] of Object.entries(report.scores.components)) {
    if (score.score !== null) gauge('component_score', 'Score 0-100 of each configured component', score.score, [['component', component]]);
  }
  for (const severity of ['critical', 'warning', 'info'] as const) {
    gauge('findings', 'Findings of the run by severity', report.findings.filter((finding) => finding.severity === severity).length, [['severity', severity]]);
  }
  if (report.baseline) {
    gauge('baseline_regressions', 'Metrics that regressed beyond the noise since the baseline report', report.baseline.summary.regressions);
    gauge('baseline_improvements', 'Metrics that improved beyond the noise since the baseline report', report.baseline.summary.improvements);
  }

  const leaves = metricLeaves(report.metrics).filter((leaf) => leaf.metric.value !== null);
  const summaryCounts = new Map<string, { family: Omit<Family, 'samples'>; labels: Labels; count: number }>();
  for (const leaf of leaves) {
    const value = leaf.metric.value as number;
    const how = `${leaf.metric.sampling}${leaf.metric.windowMs !== undefined ? ` over ${leaf.metric.windowMs} ms` : ''}`;
    if (leaf.quantile !== undefined) {
      const { name, labels, factor } = describe(leaf, true);
      const parentId = `${leaf.id.slice(0, leaf.id.lastIndexOf('.'))}${leaf.prefix ? `.${leaf.prefix}` : ''}`;
      const family = { name, help: `${parentId.replace(/\[[^\]]*\]/g, '[]')} percentiles (${leaf.metric.unit}, converted to base units), ${how}`, type: 'summary' as const };
      addSample(families, family, { suffix: '', labels: [...labels, ['quantile', String(leaf.quantile)]], value: value * factor });
      if (leaf.metric.samples !== undefined) {
        const key = `${name}|${JSON.stringify(labels)}`;
        const seen = summaryCounts.get(key);
        summaryCounts.set(key, { family, labels, count: Math.max(seen?.count ?? 0, leaf.metric.samples) });
      }
      continue;
    }
    const { name, labels, factor } = describe(leaf, false);
    const help = `${leaf.id.replace(/\[[^\]]*\]/g, '[]')} (${leaf.metric.unit || 'no unit'}${factor !== 1 ? ', converted to base units' : ''}), ${how}`;
    addSample(families, { name, help, type: 'gauge' }, { suffix: '', labels, value: value * factor });
  }
  for (const { family, labels, count } of summaryCounts.values()) addSample(families, family, { suffix: '_count', labels, value: count });

  const lines: string[] = [];
  for (const family of families.values()) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = sample.labels.length > 0 ? `{${sample.labels.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}` : '';
      lines.push(`${family.name}${sample.suffix}${labels} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const promReporter: Reporter = {
  format: 'prom',
  filePrefix: 'performance_metrics_',
  extension: '.prom',
  render: (report) => renderPrometheus(report),
};
