import type { Report } from './report.js';

export interface RenderContext {
  /** ANSI colour allowed (TTY, no NO_COLOR, no --no-color) */
  color: boolean;
  /** paths of the files written in this run, for reporters that mention them */
  files: { json?: string; text?: string };
  /** the --fail-on level, for formats that mark failures (junit); default critical */
  failOn?: 'critical' | 'warning' | 'info' | 'none';
  /** the charting library bundled into the html format (read by ports/chart-library.ts); html fails without it */
  chartLibrary?: ChartLibrary;
}

/** A charting library's source text, to be inlined (the html reporter never fetches anything). */
export interface ChartLibrary {
  name: string;
  version: string;
  license: string;
  /** the minified script: defines window.uPlot */
  script: string;
  stylesheet: string;
}

/** report -> string. Pure: no I/O, no clock. */
export interface Reporter {
  format: string;
  /** file name prefix and extension of the contract, e.g. performance_analysis_report_ + .json */
  filePrefix: string;
  extension: string;
  render(report: Report, context: RenderContext): string;
}
