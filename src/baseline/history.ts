/**
 * Trends over saved reports: for each metric asked for, its value in every report, first,
 * last, min, max and a sparkline. Pure.
 */
import { globMatches, metricLeaves } from './metrics.js';
import type { SavedReport } from './read.js';

/** What `history` shows without --metric: the scores, finding counts, the host's headline numbers and every p95. */
export const DEFAULT_HISTORY_METRICS = [
  'scores.health',
  'scores.performance',
  'summary.critical',
  'summary.warning',
  'system.cpu.totalPercent',
  'system.memory.usedPercent',
  'system.load.load5PerCore',
  'system.mounts[*].usedPercent',
  '*.p95',
];

export interface Trend {
  metric: string;
  unit: string;
  /** one per report, in report order; null where the report lacks the metric */
  values: Array<number | null>;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  sparkline: string;
}

const BARS = '▁▂▃▄▅▆▇█';
/** a report without the metric */
const GAP = '·';

/** One character per value (or per bucket of values when there are more than `width`); · where none was measured. */
export function sparkline(values: ReadonlyArray<number | null>, width = 40): string {
  const buckets: Array<number | null> = [];
  const size = Math.max(1, Math.ceil(values.length / width));
  for (let start = 0; start < values.length; start += size) {
    const present = values.slice(start, start + size).filter((value): value is number => value !== null);
    buckets.push(present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length);
  }
  const present = buckets.filter((value): value is number => value !== null);
  if (present.length === 0) return GAP.repeat(buckets.length);
  const low = Math.min(...present);
  const high = Math.max(...present);
  return buckets
    .map((value) => (value === null ? GAP : high === low ? BARS[3] : BARS[Math.min(BARS.length - 1, Math.floor(((value - low) / (high - low)) * BARS.length))]))
    .join('');
}

/** Pseudo-metrics every report version has: scores and counts. */
function headlineValues(report: SavedReport): Array<[string, number | null, string]> {
  const raw = report.raw;
  const scores = (typeof raw.scores === 'object' && raw.scores !== null ? raw.scores : {}) as Record<string, unknown>;
  const entries: Array<[string, number | null, string]> = [['scores.health', report.health, 'score']];
  if (typeof scores.performance === 'number') entries.push(['scores.performance', scores.performance, 'score']);
  const components = (typeof scores.components === 'object' && scores.components !== null ? scores.components : {}) as Record<string, { score?: unknown }>;
  for (const [id, component] of Object.entries(components)) {
    if (typeof component?.score === 'number') entries.push([`scores.components.${id}`, component.score, 'score']);
  }
  if (report.summary) {
    entries.push(['summary.critical', report.summary.critical, 'findings'], ['summary.warning', report.summary.warning, 'findings'], ['summary.info', report.summary.info, 'findings']);
  }
  const baseline = raw.baseline as { summary?: { regressions?: unknown } } | undefined;
  if (typeof baseline?.summary?.regressions === 'number') entries.push(['baseline.regressions', baseline.summary.regressions, 'metrics']);
  return entries;
}

export function trends(reports: readonly SavedReport[], patterns: readonly string[], width = 40): Trend[] {
  const compiled = patterns.map((pattern) => (id: string) => globMatches(pattern, id));
  const wanted = new Map<string, boolean>();
  const isWanted = (id: string) => {
    let hit = wanted.get(id);
    if (hit === undefined) {
      hit = compiled.some((match) => match(id));
      wanted.set(id, hit);
    }
    return hit;
  };
  const series = new Map<string, { unit: string; values: Array<number | null> }>();
  reports.forEach((report, index) => {
    const values: Array<[string, number | null, string]> = [
      ...headlineValues(report),
      ...metricLeaves(report.metrics).map((leaf): [string, number | null, string] => [leaf.id, leaf.metric.value, leaf.metric.unit]),
    ];
    for (const [id, value, unit] of values) {
      if (!isWanted(id)) continue;
      let entry = series.get(id);
      if (!entry) {
        entry = { unit, values: new Array<number | null>(reports.length).fill(null) };
        series.set(id, entry);
      }
      entry.values[index] = value;
    }
  });
  // in the order of the patterns, then of appearance
  const ordered = [...series.keys()].sort((a, b) => patternIndex(a) - patternIndex(b));
  function patternIndex(id: string) {
    const index = compiled.findIndex((match) => match(id));
    return index === -1 ? compiled.length : index;
  }
  return ordered.map((metric) => {
    const { unit, values } = series.get(metric)!;
    const present = values.filter((value): value is number => value !== null);
    const firstIndex = values.findIndex((value) => value !== null);
    let lastIndex = values.length - 1;
    while (lastIndex >= 0 && values[lastIndex] === null) lastIndex -= 1;
    return {
      metric,
      unit,
      values,
      first: firstIndex >= 0 ? values[firstIndex]! : null,
      last: lastIndex >= 0 ? values[lastIndex]! : null,
      min: present.length > 0 ? Math.min(...present) : null,
      max: present.length > 0 ? Math.max(...present) : null,
      sparkline: sparkline(values, width),
    };
  });
}
