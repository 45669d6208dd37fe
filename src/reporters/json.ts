import type { Reporter } from '../contracts/reporter.js';

/** The full report as JSON (the contract of DESIGN.md section 4): 2-space indent, trailing newline. */
export const jsonReporter: Reporter = {
  format: 'json',
  filePrefix: 'performance_analysis_report_',
  extension: '.json',
  render(report) {
    return `${JSON.stringify(report, null, 2)}\n`;
  },
};
