/**
 * Reading a saved report back: any schema 1.x (older minors lack some fields; what is there
 * is read), and a clear reason for a file that is not one (truncated, another tool's JSON,
 * a newer major). Pure: text in, result out.
 */
import type { Finding } from '../contracts/finding.js';
import { REPORT_SCHEMA_VERSION } from '../contracts/report.js';
import type { ComparableReport } from './compare.js';

/** The report as read from disk: the fields every 1.x report has, and the rest as raw JSON. */
export interface SavedReport extends ComparableReport {
  raw: Record<string, unknown>;
  health: number | null;
  summary: { critical: number; warning: number; info: number } | null;
}

export type ReadResult = { ok: true; report: SavedReport } | { ok: false; reason: string };

/** File names of the JSON reports a run writes: performance_analysis_report_YYYYMMDD_HHMMSS.json */
export const REPORT_FILE = /^performance_analysis_report_(\d{8}_\d{6})\.json$/;

const READABLE_MAJOR = Number(REPORT_SCHEMA_VERSION.split('.')[0]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isFinding(value: unknown): value is Finding {
  return isObject(value) && typeof value.ruleId === 'string' && typeof value.subject === 'string' && typeof value.severity === 'string';
}

export function parseSavedReport(text: string): ReadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/, ".*$/s, '') : String(error);
    return { ok: false, reason: `not valid JSON (truncated or corrupt: ${detail})` };
  }
  if (!isObject(data)) return { ok: false, reason: 'not a perf-analyze report (not a JSON object)' };
  const tool = isObject(data.tool) ? data.tool.name : undefined;
  const version = data.schemaVersion;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version) || (tool !== undefined && tool !== 'perf-analyze')) {
    return { ok: false, reason: `not a perf-analyze report (${typeof tool === 'string' ? `written by ${tool}` : 'no schemaVersion'})` };
  }
  const major = Number(version.split('.')[0]);
  if (major > READABLE_MAJOR) {
    return { ok: false, reason: `report schema ${version} is newer than this perf-analyze reads (${READABLE_MAJOR}.x)` };
  }
  if (!isObject(data.metrics)) return { ok: false, reason: `not a perf-analyze report (schema ${version} but no metrics)` };
  const scores = isObject(data.scores) ? data.scores : {};
  const summary = isObject(data.summary) ? data.summary : undefined;
  const count = (value: unknown) => (typeof value === 'number' ? value : 0);
  return {
    ok: true,
    report: {
      raw: data,
      schemaVersion: version,
      startedAt: typeof data.startedAt === 'string' ? data.startedAt : '',
      metrics: data.metrics,
      findings: Array.isArray(data.findings) ? data.findings.filter(isFinding) : [],
      health: typeof scores.health === 'number' ? scores.health : null,
      summary: summary ? { critical: count(summary.critical), warning: count(summary.warning), info: count(summary.info) } : null,
    },
  };
}
