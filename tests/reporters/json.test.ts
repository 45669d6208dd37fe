import { describe, expect, it } from '@jest/globals';
import { jsonReporter } from '../../src/reporters/json.js';
import { buildReport } from '../support/report-fixture.js';

const context = { color: true, files: { json: 'reports/a.json', text: 'reports/a.txt' } };

describe('jsonReporter', () => {
  it('has the contract file name parts', () => {
    expect(jsonReporter.format).toBe('json');
    expect(jsonReporter.filePrefix).toBe('performance_analysis_report_');
    expect(jsonReporter.extension).toBe('.json');
  });

  it('round-trips the report exactly', () => {
    const report = buildReport();
    expect(JSON.parse(jsonReporter.render(report, context))).toEqual(report);
  });

  it('round-trips an interrupted report without system metrics', () => {
    const report = buildReport({ interrupted: true, metrics: {} });
    expect(JSON.parse(jsonReporter.render(report, context))).toEqual(report);
  });

  it('is indented with two spaces and ends with exactly one newline', () => {
    const output = jsonReporter.render(buildReport(), context);
    expect(output.startsWith('{\n  "schemaVersion": "1.0.0",\n  "tool": {\n    "name": "perf-analyze"')).toBe(true);
    expect(output.endsWith('}\n')).toBe(true);
    expect(output.endsWith('\n\n')).toBe(false);
  });

  it('writes no colour even when colour is allowed', () => {
    expect(jsonReporter.render(buildReport(), context)).not.toContain('\u001b[');
  });
});
