import type { Reporter } from '../contracts/reporter.js';
import type { ReportFormat } from './formats.js';
import { jsonReporter } from './json.js';
import { textReporter } from './text.js';
import { markdownReporter } from './markdown.js';
import { junitReporter } from './junit.js';
import { promReporter } from './prom.js';
import { htmlReporter } from './html.js';

export { renderConsoleBox, renderFindingLines } from './console.js';
export { jsonReporter } from './json.js';
export { textReporter } from './text.js';

/** Every file format, by the name `--format` uses (the names are REPORT_FORMATS). */
export const REPORTERS: Record<ReportFormat, Reporter> = {
  json: jsonReporter,
  text: textReporter,
  md: markdownReporter,
  junit: junitReporter,
  prom: promReporter,
  html: htmlReporter,
};

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * `<prefix>YYYYMMDD_HHMMSS<extension>` from the run's start in local time, as the
 * specification's example performance_analysis_report_20250806_143022.json.
 * The start time is passed in: reporters never read the clock.
 */
export function reportFileName(reporter: Pick<Reporter, 'filePrefix' | 'extension'>, startedAt: Date): string {
  if (Number.isNaN(startedAt.getTime())) throw new RangeError('reportFileName: startedAt is an invalid Date');
  const date = `${startedAt.getFullYear()}${two(startedAt.getMonth() + 1)}${two(startedAt.getDate())}`;
  const time = `${two(startedAt.getHours())}${two(startedAt.getMinutes())}${two(startedAt.getSeconds())}`;
  return `${reporter.filePrefix}${date}_${time}${reporter.extension}`;
}
