import { describe, expect, test } from '@jest/globals';
import {
  formatBytes,
  formatCount,
  formatPercent,
  formatWindow,
  joinList,
  levelAbove,
  mountHolds,
  round,
  shellArg,
  topProcesses,
  type Levels,
} from '../../src/rules/levels.js';

const LEVELS: Levels = { info: 85, warning: 95, critical: 98 };

describe('levelAbove', () => {
  test.each([
    { value: 50, levels: LEVELS, expected: null },
    { value: 85, levels: LEVELS, expected: null },
    { value: 85.01, levels: LEVELS, expected: { severity: 'info', threshold: 85 } },
    { value: 95, levels: LEVELS, expected: { severity: 'info', threshold: 85 } },
    { value: 95.5, levels: LEVELS, expected: { severity: 'warning', threshold: 95 } },
    { value: 98, levels: LEVELS, expected: { severity: 'warning', threshold: 95 } },
    { value: 99, levels: LEVELS, expected: { severity: 'critical', threshold: 98 } },
    { value: 0, levels: { warning: 0 }, expected: null },
    { value: 0.1, levels: { warning: 0 }, expected: { severity: 'warning', threshold: 0 } },
    { value: 1, levels: { critical: 0 }, expected: { severity: 'critical', threshold: 0 } },
    { value: 1000, levels: {}, expected: null },
    // a `normal` key is not a finding level
    { value: 70, levels: { normal: 60, warning: 80, critical: 95 } as Levels, expected: null },
  ])('$value against $levels', ({ value, levels, expected }) => {
    expect(levelAbove(value, levels)).toEqual(expected);
  });
});

describe('formatting', () => {
  test.each([
    [() => round(23.45, 1), 23.5],
    [() => round(-0.01, 1), 0],
    [() => formatPercent(23.45), '23.5 %'],
    [() => formatPercent(7), '7.0 %'],
    [() => formatCount(1_234_567.4), '1,234,567'],
    // the shared binary-unit formatter, re-exported for the rules (tests/shared/bytes.test.ts covers it)
    [() => formatBytes(46.2e9), '43.0 GiB'],
    [() => formatWindow(5000), '5 s'],
    [() => formatWindow(2500), '2.5 s'],
    [() => formatWindow(800), '800 ms'],
    [() => joinList([]), ''],
    [() => joinList(['a']), 'a'],
    [() => joinList(['a', 'b']), 'a and b'],
    [() => joinList(['a', 'b', 'c']), 'a, b and c'],
    [() => shellArg('/var/lib/docker'), '/var/lib/docker'],
    [() => shellArg("/mnt/it's here"), `'/mnt/it'\\''s here'`],
    [() => mountHolds('/', '/var/log'), true],
    [() => mountHolds('/var', '/var/log'), true],
    [() => mountHolds('/var/log', '/var/log'), true],
    [() => mountHolds('/va', '/var/log'), false],
    [() => mountHolds('/data', '/var/log'), false],
  ])('%#', (compute, expected) => {
    expect(compute()).toEqual(expected);
  });

  test('topProcesses sorts a copy, heaviest first', () => {
    const processes = [
      { pid: 1, name: 'a', command: 'a', cpuPercent: 5, rssBytes: 300 },
      { pid: 2, name: 'b', command: 'b', cpuPercent: 50, rssBytes: 100 },
      { pid: 3, name: 'c', command: 'c', cpuPercent: 20, rssBytes: 200 },
    ];
    expect(topProcesses(processes, 'cpu', 2).map((sample) => sample.pid)).toEqual([2, 3]);
    expect(topProcesses(processes, 'memory').map((sample) => sample.pid)).toEqual([1, 3, 2]);
    expect(processes.map((sample) => sample.pid)).toEqual([1, 2, 3]);
  });
});
