import { describe, expect, it } from '@jest/globals';
import {
  distinctRecommendations,
  formatDuration,
  formatEvidence,
  formatValue,
  oneLine,
  plain,
  table,
  truncate,
  wrap,
} from '../../src/reporters/format.js';
import { buildFinding } from '../support/report-fixture.js';

describe('plain / oneLine', () => {
  it('removes escape sequences and control characters', () => {
    expect(plain('\u001b[1;31mred\u001b[0m\u0007 and\ttab')).toBe('red and tab');
    expect(plain('a\r\nb')).toBe('a\nb');
    expect(oneLine('  a\n\n  b\t c ')).toBe('a b c');
  });
});

describe('wrap', () => {
  it('wraps at word boundaries within the width', () => {
    expect(wrap('the quick brown fox jumps over the lazy dog', 10)).toEqual(['the quick', 'brown fox', 'jumps over', 'the lazy', 'dog']);
  });

  it('splits a word longer than the width', () => {
    expect(wrap('ab abcdefghij cd', 4)).toEqual(['ab', 'abcd', 'efgh', 'ij', 'cd']);
  });

  it('keeps paragraph breaks', () => {
    expect(wrap('one\ntwo three', 20)).toEqual(['one', 'two three']);
  });
});

describe('truncate', () => {
  it('cuts with "..." only when needed', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abc...');
  });
});

describe('table', () => {
  it('aligns columns and right-aligns numbers', () => {
    expect(table([{ header: 'name' }, { header: 'n', align: 'right' }, { header: 'note' }], [['a', '1', 'x'], ['bbb', '22', '']])).toEqual([
      'name   n  note',
      '----  --  ----',
      'a      1  x',
      'bbb   22',
    ]);
  });

  it('wraps the last column when the table would be too wide', () => {
    const out = table([{ header: 'id' }, { header: 'reason' }], [['x', 'word '.repeat(10)]], 20);
    expect(out.every((line) => line.length <= 20)).toBe(true);
    expect(out.slice(2)).toEqual(['x   word word word', '    word word word', '    word word word', '    word']);
  });
});

describe('numbers', () => {
  it('formats durations and values with units', () => {
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatValue(96.444, '%')).toBe('96.44%');
    expect(formatValue(2048, 'bytes')).toBe('2.0 KiB');
    expect(formatValue(null, 'ms')).toBe('n/a');
    expect(formatValue('on', '')).toBe('on');
  });

  it('formats evidence with and without a threshold', () => {
    expect(formatEvidence(buildFinding())).toBe('disk.usedPercent = 96.4% (threshold 95%)');
    expect(formatEvidence(buildFinding({ evidence: { metric: 'redis.policy', value: 'noeviction', unit: '', threshold: null } }))).toBe(
      'redis.policy = noeviction',
    );
  });
});

describe('distinctRecommendations', () => {
  it('merges equal advice, keeps the highest severity and drops empty advice', () => {
    const result = distinctRecommendations([
      buildFinding({ severity: 'info', recommendation: 'Add memory.' }),
      buildFinding({ severity: 'warning', recommendation: 'Check disks.' }),
      buildFinding({ severity: 'critical', recommendation: '  Add   memory. ' }),
      buildFinding({ severity: 'warning', recommendation: '' }),
    ]);
    expect(result).toEqual([
      { text: 'Add memory.', severity: 'critical', findings: 2 },
      { text: 'Check disks.', severity: 'warning', findings: 1 },
    ]);
  });
});
