import { describe, expect, test } from '@jest/globals';
import type { CollectorProgress } from '../../src/contracts/collector.js';
import { plainProgress, progressBar, progressLine } from '../../src/terminal/progress.js';

const step = (overrides: Partial<CollectorProgress> = {}): CollectorProgress => ({
  collector: 'load',
  step: '25 users',
  index: 4,
  steps: 6,
  elapsedMs: 2500,
  plannedMs: 10_000,
  requests: 4120,
  errors: 0,
  ...overrides,
});

describe('load progress on the terminal', () => {
  test('plain lines: one per finished level or rate, none while a step runs', () => {
    const lines: string[] = [];
    const view = plainProgress((line) => lines.push(line));
    view.onEvent({ type: 'collector-progress', progress: step() });
    view.onEvent({ type: 'collector-progress', progress: step({ elapsedMs: 5000 }) });
    expect(lines).toEqual([]);
    view.onEvent({ type: 'collector-progress', progress: step({ elapsedMs: 10_000, done: '1,234.5 requests/s, p95 12.3 ms, 0.0 % errors, 12,345 requests' }) });
    view.onEvent({ type: 'collector-progress', progress: step({ step: '200 requests/s', index: 6, done: '199.8 requests/s, p95 3.1 ms, 0.0 % errors, 1,998 requests' }) });
    expect(lines).toEqual([
      '[perf-analyze] Load test: 25 users (4/6): 1,234.5 requests/s, p95 12.3 ms, 0.0 % errors, 12,345 requests\n',
      '[perf-analyze] Load test: 200 requests/s (6/6): 199.8 requests/s, p95 3.1 ms, 0.0 % errors, 1,998 requests\n',
    ]);
  });

  test('the bar (TTY): share of the step elapsed, requests and errors', () => {
    expect(progressBar(step(), 10)).toBe('Load test: 25 users (4/6) [###-------] 2.5/10.0 s, 4,120 requests');
    expect(progressBar(step({ elapsedMs: 12_000, errors: 3 }), 10)).toBe('Load test: 25 users (4/6) [##########] 12.0/10.0 s, 4,120 requests, 3 errors');
    expect(progressLine(step())).toBeNull();
  });
});

describe('spinner on a terminal of zero columns', () => {
  test('falls back to plain lines (ora would clear lines without end)', async () => {
    const { spinnerProgress } = await import('../../src/terminal/progress.js');
    const written: string[] = [];
    const stream = { columns: 0, isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const view = await spinnerProgress(stream, 1);
    view.onEvent({ type: 'collector-progress', progress: step({ done: '10 requests/s, p95 1.0 ms, 0.0 % errors, 100 requests' }) });
    view.stop();
    expect(written).toEqual(['[perf-analyze] Load test: 25 users (4/6): 10 requests/s, p95 1.0 ms, 0.0 % errors, 100 requests\n']);
  });
});
