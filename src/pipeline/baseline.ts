/**
 * The run's side of baselines: finding and reading the baseline before any work, comparing
 * after the insights, and keeping the output directory (--keep, the latest pointer) after the
 * files are written. All I/O goes through ports.reports.
 */
import path from 'node:path';
import type { BaselineComparison } from '../contracts/baseline.js';
import type { Finding } from '../contracts/finding.js';
import { UsageError } from '../contracts/errors.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_ABSOLUTE_TOLERANCE } from '../config/baseline-schema.js';
import type { Ports } from '../ports/index.js';
import { compareReports, type ComparisonOptions } from '../baseline/compare.js';
import { regressionFindings } from '../baseline/findings.js';
import { parseSavedReport, REPORT_FILE, type SavedReport } from '../baseline/read.js';

export interface LoadedBaseline {
  report: SavedReport;
  /** as the user gave it, or the file found in the output directory */
  file: string;
}

/** Every file a run writes, by its stamp: performance_<kind>_YYYYMMDD_HHMMSS.<ext> */
const RUN_FILE = /^performance_[a-z_]+_(\d{8}_\d{6})\.(json|txt|md|xml|prom)$/;
export const LATEST_POINTER = 'latest.json';

export function comparisonOptions(config: Config): ComparisonOptions {
  const { baseline } = config;
  return {
    relativePercent: baseline.relativePercent,
    absolute: { ...DEFAULT_ABSOLUTE_TOLERANCE, ...baseline.absolute },
    confidenceZ: baseline.confidenceZ,
    percentileMinChangePercent: baseline.percentileMinChangePercent,
    ignore: baseline.ignore,
  };
}

/**
 * The baseline of this run, read before any work. A named file that cannot be read or is not a
 * report is the user's mistake (UsageError: exit 2, nothing written). `latest` with no earlier
 * report (the first night) is not: `note` says why there is no comparison; unreadable earlier
 * reports are passed over for the next older one.
 */
export async function loadBaseline(
  config: Config,
  ports: Pick<Ports, 'reports'>,
  currentStamp: string,
): Promise<{ baseline?: LoadedBaseline; notes: string[] }> {
  const against = config.baseline.against;
  if (against === undefined) return { notes: [] };
  if (against !== 'latest') {
    let text: string;
    try {
      text = await ports.reports.read(against);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
      throw new UsageError(`cannot read the baseline report "${against}" (--baseline): ${why}`);
    }
    const parsed = parseSavedReport(text);
    if (!parsed.ok) throw new UsageError(`the baseline "${against}" (--baseline) is ${parsed.reason}`);
    return { baseline: { report: parsed.report, file: against }, notes: [] };
  }
  const notes: string[] = [];
  const earlier = (await ports.reports.list(config.outputDir))
    .map((name) => ({ name, stamp: REPORT_FILE.exec(name)?.[1] }))
    .filter((entry): entry is { name: string; stamp: string } => entry.stamp !== undefined && entry.stamp <= currentStamp)
    .sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
  for (const entry of earlier) {
    const file = path.join(config.outputDir, entry.name);
    let parsed;
    try {
      parsed = parseSavedReport(await ports.reports.read(file));
    } catch (error) {
      parsed = { ok: false as const, reason: `unreadable (${(error as Error).message})` };
    }
    if (parsed.ok) return { baseline: { report: parsed.report, file }, notes };
    notes.push(`baseline: skipped ${file}: ${parsed.reason}`);
  }
  notes.push(`baseline: no earlier report in ${config.outputDir} to compare with (--baseline latest); this run becomes the next one's baseline`);
  return { notes };
}

/** The comparison and the regression findings of this run. */
export function compareWithBaseline(
  loaded: LoadedBaseline,
  current: { schemaVersion: string; startedAt: string; metrics: unknown; findings: readonly Finding[] },
  config: Config,
): { comparison: BaselineComparison; findings: Finding[] } {
  const comparison = compareReports(loaded.report, current, comparisonOptions(config), loaded.file);
  return { comparison, findings: regressionFindings(comparison, current.metrics, config.baseline.severity) };
}

/**
 * After the files are written: `latest.json` points at this run's JSON report, and with
 * --keep N only the newest N runs' files stay (only files named like ours are touched).
 * Returns warnings instead of throwing: the report is already safe on disk.
 */
export async function maintainOutputDir(config: Config, ports: Pick<Ports, 'reports'>, files: Record<string, string>): Promise<string[]> {
  const warnings: string[] = [];
  const dir = config.outputDir;
  if (files.json) {
    try {
      await ports.reports.pointTo(dir, LATEST_POINTER, path.basename(files.json));
    } catch (error) {
      warnings.push(`could not update ${path.join(dir, LATEST_POINTER)}: ${(error as Error).message}`);
    }
  }
  if (config.keep === undefined) return warnings;
  try {
    const names = await ports.reports.list(dir);
    const stamps = [...new Set(names.map((name) => RUN_FILE.exec(name)?.[1]).filter((stamp): stamp is string => stamp !== undefined))].sort().reverse();
    const kept = new Set(stamps.slice(0, config.keep));
    for (const name of names) {
      const stamp = RUN_FILE.exec(name)?.[1];
      if (stamp !== undefined && !kept.has(stamp)) await ports.reports.remove(path.join(dir, name));
    }
  } catch (error) {
    warnings.push(`could not prune ${dir} to the newest ${config.keep} reports (--keep): ${(error as Error).message}`);
  }
  return warnings;
}
