import path from 'node:path';
import { DEFAULT_HISTORY_METRICS, trends } from '../baseline/history.js';
import { parseSavedReport, REPORT_FILE, type SavedReport } from '../baseline/read.js';
import { LATEST_POINTER } from '../pipeline/baseline.js';
import { formatValue, table } from '../reporters/format.js';
import type { CommandIo } from './compare.js';
import { configForCommand } from './config-for-command.js';

export interface HistoryFlags {
  dir?: string;
  metric?: string[];
  json?: boolean;
  config?: string;
}

/** Files read at once: enough to keep the disk busy, few enough not to run out of file handles. */
const READ_CONCURRENCY = 32;

/**
 * `perf-analyze history [--dir reports] [--metric NAME...]`: a trend table over the saved
 * reports. Every *.json in the directory is tried; one that is truncated, another tool's, or
 * of a newer major schema is skipped with a warning naming it. Exit 0, or 2 when the
 * directory holds no readable report.
 */
export async function historyCommand(flags: HistoryFlags, io: CommandIo): Promise<number> {
  const config = await configForCommand(flags.config, io.stderr);
  if (!config) return 2;
  const dir = flags.dir ?? config.outputDir;
  let names: string[];
  try {
    names = (await io.reports.list(dir)).filter((name) => name.endsWith('.json') && name !== LATEST_POINTER && !name.startsWith('.'));
  } catch (error) {
    io.stderr(`perf-analyze history: cannot list ${dir}: ${(error as Error).message}\n`);
    return 2;
  }
  const loaded: Array<{ file: string; report: SavedReport }> = [];
  const skipped: Array<{ file: string; reason: string }> = [];
  for (let start = 0; start < names.length; start += READ_CONCURRENCY) {
    const batch = names.slice(start, start + READ_CONCURRENCY);
    const results = await Promise.all(
      batch.map(async (name) => {
        const file = path.join(dir, name);
        try {
          return { file, result: parseSavedReport(await io.reports.read(file)) };
        } catch (error) {
          return { file, result: { ok: false as const, reason: `unreadable (${(error as Error).message})` } };
        }
      }),
    );
    for (const { file, result } of results) {
      if (result.ok) loaded.push({ file, report: result.report });
      else skipped.push({ file, reason: result.reason });
    }
  }
  for (const { file, reason } of skipped) io.stderr(`perf-analyze history: skipped ${file}: ${reason}\n`);
  // by start time; reports without one by the stamp in their name
  const when = (entry: { file: string; report: SavedReport }) => entry.report.startedAt || REPORT_FILE.exec(path.basename(entry.file))?.[1] || entry.file;
  loaded.sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0));
  if (loaded.length === 0) {
    io.stderr(`perf-analyze history: no readable report in ${dir}\n`);
    return 2;
  }
  const patterns = flags.metric && flags.metric.length > 0 ? flags.metric : DEFAULT_HISTORY_METRICS;
  const series = trends(
    loaded.map((entry) => entry.report),
    patterns,
  );
  if (flags.json) {
    io.stdout(
      `${JSON.stringify(
        { dir, reports: loaded.map((entry) => ({ file: entry.file, startedAt: entry.report.startedAt, schemaVersion: entry.report.schemaVersion })), skipped, metrics: series },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const first = loaded[0]!.report.startedAt;
  const last = loaded[loaded.length - 1]!.report.startedAt;
  const lines = [`${loaded.length} report${loaded.length === 1 ? '' : 's'} in ${dir} from ${first || '?'} to ${last || '?'}${skipped.length > 0 ? `; ${skipped.length} skipped (see above)` : ''}`, ''];
  if (series.length === 0) {
    lines.push(`No metric matches ${patterns.join(', ')}. Metric ids look like system.cpu.totalPercent, system.mounts[mount=/].usedPercent, scores.health; * matches anything.`);
  } else {
    const show = (value: number | null, unit: string) => formatValue(value, unit === 'score' || unit === 'findings' || unit === 'metrics' ? '' : unit);
    lines.push(
      ...table(
        [
          { header: 'metric' },
          { header: 'reports', align: 'right' },
          { header: 'first', align: 'right' },
          { header: 'last', align: 'right' },
          { header: 'min', align: 'right' },
          { header: 'max', align: 'right' },
          { header: 'trend (oldest to newest)' },
        ],
        series.map((trend) => [
          trend.metric,
          String(trend.values.filter((value) => value !== null).length),
          show(trend.first, trend.unit),
          show(trend.last, trend.unit),
          show(trend.min, trend.unit),
          show(trend.max, trend.unit),
          trend.sparkline,
        ]),
        200,
      ),
    );
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
