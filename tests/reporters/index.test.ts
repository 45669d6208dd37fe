import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { REPORTERS, jsonReporter, reportFileName, textReporter } from '../../src/reporters/index.js';

describe('REPORTERS', () => {
  it('registers json, text, md, junit, prom and html under their format names', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual(['html', 'json', 'junit', 'md', 'prom', 'text']);
    for (const [name, reporter] of Object.entries(REPORTERS)) expect(reporter.format).toBe(name);
    expect(REPORTERS.json).toBe(jsonReporter);
    expect(REPORTERS.text).toBe(textReporter);
  });
});

describe('reportFileName', () => {
  // built from local components: the file name uses the run's start in local time
  const startedAt = new Date(2025, 7, 6, 14, 30, 22, 987);

  it('names the JSON report as the specification does', () => {
    expect(reportFileName(jsonReporter, startedAt)).toBe('performance_analysis_report_20250806_143022.json');
  });

  it('names the executive summary as the specification does', () => {
    expect(reportFileName(textReporter, startedAt)).toBe('performance_executive_summary_20250806_143022.txt');
  });

  it('pads every field to two digits', () => {
    expect(reportFileName(jsonReporter, new Date(2026, 0, 2, 3, 4, 5))).toBe('performance_analysis_report_20260102_030405.json');
  });

  it('works for any prefix and extension', () => {
    expect(reportFileName({ filePrefix: 'x_', extension: '.md' }, new Date(1999, 11, 31, 23, 59, 59))).toBe('x_19991231_235959.md');
  });

  // jest sandboxes process.env, so TZ cannot be changed here: simulate a machine at
  // UTC+05:30 by giving a Date the local-time getters such a machine would have
  it('uses local time, not UTC', () => {
    const instant = new Date(Date.UTC(2025, 7, 6, 9, 0, 22));
    const wallClock = new Date(instant.getTime() + 330 * 60_000);
    const inKolkata = Object.assign(new Date(instant), {
      getFullYear: () => wallClock.getUTCFullYear(),
      getMonth: () => wallClock.getUTCMonth(),
      getDate: () => wallClock.getUTCDate(),
      getHours: () => wallClock.getUTCHours(),
      getMinutes: () => wallClock.getUTCMinutes(),
      getSeconds: () => wallClock.getUTCSeconds(),
    });
    expect(reportFileName(jsonReporter, inKolkata)).toBe('performance_analysis_report_20250806_143022.json');
  });

  it('refuses an invalid date instead of writing NaN into a file name', () => {
    expect(() => reportFileName(jsonReporter, new Date('not a date'))).toThrow(RangeError);
  });
});

describe('src/reporters stays pure (DESIGN.md section 3)', () => {
  const directory = new URL('../../src/reporters/', import.meta.url);
  const forbidden = /^(node:fs|fs|node:child_process|child_process|pg|ioredis|dockerode|undici)(\/|$)|\/ports\//;
  const files = readdirSync(directory).filter((name) => name.endsWith('.ts'));

  it.each(files)('%s imports no port, no I/O module and reads no clock', (name) => {
    const source = readFileSync(new URL(name, directory), 'utf8');
    const imports = [...source.matchAll(/from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
    expect(imports.filter((specifier) => forbidden.test(specifier))).toEqual([]);
    expect(source).not.toMatch(/new Date\(\)|Date\.now\(|performance\.now\(|process\.hrtime|console\.(log|info|warn|error)\(|process\.std(out|err)\.write\(/);
  });
});
