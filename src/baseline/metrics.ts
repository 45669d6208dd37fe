/**
 * The report's metrics tree as a flat list of Metric leaves, generic over collectors. A leaf is
 * - any object `{ value: number|null, unit: string, sampling: string }` (a Metric);
 * - a plain number (or null) whose key says what it is:
 *   - a percentile, `p50`, `p95Ms`, `pingP99Ms`, `p99Usec` (prefix, p + digits, unit suffix Ms /
 *     Us / Usec; without a suffix the unit is a sibling `unit` string); its sample count is the
 *     Metric's `samples`, else a sibling `samples` (or `<prefix>Samples`) number;
 *   - in a latency summary (an object with a percentile key): `minMs`, `maxMs`, `meanMs`, `avgMs`;
 *   - `...Percent` (%), `...Rps` (requests/s), `...PerSec` / `...PerSecond` (<thing>/s),
 *     `avg...Ms` (ms);
 *   plain numbers are gauges; configuration echoed in the report (limits, criteria,
 *   thresholds) is skipped.
 * An array of objects is a list of named items, each named by its identity key (name, mount,
 * iface, endpoint, concurrency, ...), so `system.mounts[mount=/].usedPercent` or
 * `load.ladder[concurrency=25].latency.p95Ms` means the same thing in every report. Pure: no I/O.
 */
import type { Metric } from '../contracts/metric.js';

/** Keys that name an item of an array, tried in this order; else the first string-valued key; else the index. */
export const IDENTITY_KEYS = [
  'name',
  'id',
  'endpoint',
  'container',
  'mount',
  'iface',
  'device',
  'core',
  'database',
  'schema',
  'table',
  'index',
  'queryid',
  'queryId',
  'query',
  'key',
  'host',
  'path',
  'service',
  'command',
  'concurrency',
  'targetRps',
] as const;

/** Top-level sections that are not measurements. */
const SKIPPED_SECTIONS = new Set(['prerequisites']);
/** Keys (at any depth) that echo configuration (limits, criteria, thresholds) or repeat other leaves (validationCost: two endpoints' p50s). */
const SKIPPED_KEYS = new Set(['limits', 'criteria', 'thresholds', 'validationCost']);

export type PathSegment = { key: string } | { key: string; label: string; item: string };

export interface MetricLeaf {
  /** e.g. system.mounts[mount=/].usedPercent */
  id: string;
  path: PathSegment[];
  metric: Metric;
  /** for a percentile key (p50, p95Ms, pingP99Ms, ...): the quantile (0.5, 0.95, 0.99, 0.999) */
  quantile?: number;
  /** for a percentile: the id of its distribution (parent id and key prefix), shared by its sibling percentiles */
  distribution?: string;
  /** for a percentile: the key prefix naming the distribution inside its parent ("ping" of pingP99Ms; "" of p95Ms) */
  prefix?: string;
  /** a minimum or maximum of samples: one sample, never judged as a regression */
  extreme?: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function isMetric(value: unknown): value is Metric {
  return (
    isObject(value) &&
    (typeof value.value === 'number' || value.value === null) &&
    typeof value.unit === 'string' &&
    typeof value.sampling === 'string'
  );
}

const PERCENTILE_KEY = /^(?:p|([a-z][a-zA-Z0-9]*?)P)(\d{2,4})(Ms|Usec|Us)?$/;
const SUFFIX_UNIT: Record<string, string> = { Ms: 'ms', Usec: 'µs', Us: 'µs' };

/** p50 -> 0.5, p95Ms -> 0.95, pingP99Ms -> 0.99, p999 -> 0.999; anything else undefined. */
export function quantileOfKey(key: string): number | undefined {
  return percentileKey(key)?.quantile;
}

/** A percentile key's quantile, the prefix naming its distribution and the unit its suffix gives. */
export function percentileKey(key: string): { quantile: number; prefix: string; unit?: string } | undefined {
  const match = PERCENTILE_KEY.exec(key);
  if (!match) return undefined;
  const q = Number(`0.${match[2]}`);
  if (!(q > 0 && q < 1)) return undefined;
  const unit = match[3] ? SUFFIX_UNIT[match[3]] : undefined;
  return { quantile: q, prefix: match[1] ?? '', ...(unit ? { unit } : {}) };
}

const EXTREME_KEY = /^(?:([a-z][a-zA-Z0-9]*?)(Min|Max)|(min|max))(Ms|Usec|Us)?$/;

/** The unit of a plain number from its key, or undefined when the key does not say (then it is not a leaf). */
function plainUnit(key: string, parent: Record<string, unknown>, inSummary: boolean): { unit: string; extreme?: boolean } | undefined {
  if (inSummary) {
    const extreme = EXTREME_KEY.exec(key);
    if (extreme) return { unit: SUFFIX_UNIT[extreme[4] ?? ''] ?? (typeof parent.unit === 'string' ? parent.unit : ''), extreme: true };
    if (/^(mean|avg|average)Ms$/.test(key)) return { unit: 'ms' };
  }
  if (/.Percent$/.test(key) || key === 'percent') return { unit: '%' };
  if (/.Rps$/.test(key)) return { unit: 'requests/s' };
  const perSecond = /^(.+?)PerSec(?:ond)?$/.exec(key);
  if (perSecond) return { unit: `${perSecond[1]}/s` };
  if (/^(avg|average|mean)[A-Z][a-zA-Z]*Ms$/.test(key)) return { unit: 'ms' };
  return undefined;
}

/** The sample count behind a percentile: the Metric's own, else a sibling `samples` or `<prefix>Samples`. */
function siblingSamples(parent: Record<string, unknown>, prefix: string): number | undefined {
  const own = prefix === '' ? parent.samples : parent[`${prefix}Samples`];
  if (typeof own === 'number') return own;
  return typeof parent.samples === 'number' ? parent.samples : undefined;
}

function identityOf(item: Record<string, unknown>, index: number): { label: string; item: string } {
  for (const key of IDENTITY_KEYS) {
    const value = item[key];
    if (typeof value === 'string' || typeof value === 'number') return { label: key, item: String(value) };
  }
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'string') return { label: key, item: value };
  }
  return { label: 'index', item: String(index) };
}

export function segmentText(segment: PathSegment): string {
  return 'item' in segment ? `${segment.key}[${segment.label}=${segment.item}]` : segment.key;
}

export const pathId = (path: readonly PathSegment[]): string => path.map(segmentText).join('.');

/** Every Metric leaf under `metrics`, in document order. */
export function metricLeaves(metrics: unknown): MetricLeaf[] {
  const leaves: MetricLeaf[] = [];
  const leaf = (node: unknown, key: string, path: PathSegment[], parent: Record<string, unknown>, inSummary: boolean): boolean => {
    const percentile = percentileKey(key);
    const id = pathId(path);
    const parentId = pathId(path.slice(0, -1));
    const quantileFields = (p: NonNullable<typeof percentile>) => ({ quantile: p.quantile, prefix: p.prefix, distribution: `${parentId}#${p.prefix}` });
    if (isMetric(node)) {
      if (percentile) {
        const samples = node.samples ?? siblingSamples(parent, percentile.prefix);
        leaves.push({ id, path, metric: samples !== undefined ? { ...node, samples } : node, ...quantileFields(percentile) });
      } else {
        leaves.push({ id, path, metric: node, ...(EXTREME_KEY.test(key) ? { extreme: true } : {}) });
      }
      return true;
    }
    if (typeof node !== 'number' && node !== null) return false;
    if (percentile) {
      const unit = percentile.unit ?? (typeof parent.unit === 'string' ? parent.unit : undefined);
      if (unit === undefined) return false;
      const samples = siblingSamples(parent, percentile.prefix);
      const metric: Metric = { value: node, unit, sampling: 'gauge', ...(samples !== undefined ? { samples } : {}) };
      leaves.push({ id, path, metric, ...quantileFields(percentile) });
      return true;
    }
    // the number naming an item (concurrency, targetRps) is its identity, not a measurement
    if ((IDENTITY_KEYS as readonly string[]).includes(key)) return false;
    const plain = plainUnit(key, parent, inSummary);
    if (!plain) return false;
    leaves.push({ id, path, metric: { value: node, unit: plain.unit, sampling: 'gauge' }, ...(plain.extreme ? { extreme: true } : {}) });
    return true;
  };
  const visit = (node: unknown, path: PathSegment[]) => {
    if (!isObject(node)) return;
    const inSummary = Object.keys(node).some((key) => percentileKey(key) !== undefined);
    for (const [key, value] of Object.entries(node)) {
      if (path.length === 0 && SKIPPED_SECTIONS.has(key)) continue;
      if (SKIPPED_KEYS.has(key)) continue;
      if (leaf(value, key, [...path, { key }], node, inSummary)) continue;
      if (Array.isArray(value)) {
        const seen = new Set<string>();
        value.forEach((item, index) => {
          if (!isObject(item)) return;
          let identity = identityOf(item, index);
          // two items with the same name: the later ones get their index too, so ids stay unique
          if (seen.has(identity.item)) identity = { label: identity.label, item: `${identity.item}#${index}` };
          seen.add(identity.item);
          visit(item, [...path, { key, ...identity }]);
        });
      } else {
        visit(value, [...path, { key }]);
      }
    }
  };
  if (isMetric(metrics)) leaves.push({ id: '', path: [], metric: metrics });
  else visit(metrics, []);
  return leaves;
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatches(pattern: string, id: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(id);
}
