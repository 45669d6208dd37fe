import { parseSavedReport, type SavedReport } from '../baseline/read.js';
import { compareReports } from '../baseline/compare.js';
import { comparisonOptions } from '../pipeline/baseline.js';
import type { ReportStore } from '../ports/reports.js';
import { renderComparison } from '../reporters/comparison.js';
import { configForCommand } from './config-for-command.js';

export interface CommandIo {
  reports: ReportStore;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CompareFlags {
  json?: boolean;
  all?: boolean;
  config?: string;
}

async function readReport(file: string, io: CommandIo): Promise<SavedReport | string> {
  let text: string;
  try {
    text = await io.reports.read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
  }
  const parsed = parseSavedReport(text);
  return parsed.ok ? parsed.report : `${file} is ${parsed.reason}`;
}

/**
 * `perf-analyze compare <old.json> <new.json>`: the baseline comparison of two saved reports.
 * Exit 0 no regression, 1 regressions (like diff: a script can test it), 2 a file is not a report.
 */
export async function compareCommand(oldFile: string, newFile: string, flags: CompareFlags, io: CommandIo): Promise<number> {
  const config = await configForCommand(flags.config, io.stderr);
  if (!config) return 2;
  const [before, after] = [await readReport(oldFile, io), await readReport(newFile, io)];
  for (const result of [before, after]) {
    if (typeof result === 'string') {
      io.stderr(`perf-analyze compare: ${result}\n`);
      return 2;
    }
  }
  const comparison = compareReports(before as SavedReport, after as SavedReport, comparisonOptions(config), oldFile);
  if (flags.json) {
    io.stdout(`${JSON.stringify({ baseline: oldFile, current: newFile, ...comparison }, null, 2)}\n`);
  } else {
    const header = [
      `Baseline: ${oldFile} (${(before as SavedReport).startedAt || 'start unknown'}, schema ${(before as SavedReport).schemaVersion})`,
      `Current:  ${newFile} (${(after as SavedReport).startedAt || 'start unknown'}, schema ${(after as SavedReport).schemaVersion})`,
      '',
    ];
    io.stdout(`${[...header, ...renderComparison(comparison, { all: flags.all === true })].join('\n')}\n`);
  }
  return comparison.summary.regressions > 0 ? 1 : 0;
}
