/**
 * The report's metrics tree as a flat list of Metric leaves, generic over collectors: any
 * object `{ value: number|null, unit: string, sampling: string }` anywhere under
 * report.metrics is a leaf; an array of objects is a list of named items, each named by its
 * identity key (name, mount, iface, endpoint, ...), so `system.mounts[mount=/].usedPercent`
 * means the same thing in every report. Pure: no I/O.
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
  'query',
  'key',
  'host',
  'path',
] as const;

/** Top-level sections that are not measurements. */
const SKIPPED_SECTIONS = new Set(['prerequisites']);

export type PathSegment = { key: string } | { key: string; label: string; item: string };

export interface MetricLeaf {
  /** e.g. system.mounts[mount=/].usedPercent */
  id: string;
  path: PathSegment[];
  metric: Metric;
  /** for a percentile key (p50, p95, p99, p999): the quantile (0.5, 0.95, 0.99, 0.999) */
  quantile?: number;
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

/** p50 -> 0.5, p95 -> 0.95, p99 -> 0.99, p999 -> 0.999; anything else undefined. */
export function quantileOfKey(key: string): number | undefined {
  const match = /^p(\d{2,4})$/.exec(key);
  if (!match) return undefined;
  const q = Number(`0.${match[1]}`);
  return q > 0 && q < 1 ? q : undefined;
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
  const visit = (node: unknown, path: PathSegment[]) => {
    if (isMetric(node)) {
      const last = path[path.length - 1];
      const quantile = last && !('item' in last) ? quantileOfKey(last.key) : undefined;
      leaves.push({ id: pathId(path), path, metric: node, ...(quantile !== undefined ? { quantile } : {}) });
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (path.length === 0 && SKIPPED_SECTIONS.has(key)) continue;
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
  visit(metrics, []);
  return leaves;
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatches(pattern: string, id: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(id);
}
