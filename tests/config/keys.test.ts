import { describe, expect, it } from '@jest/globals';
import { allKeyPaths, closestKey, editDistance, suggestKeyPath, validKeysAt } from '../../src/config/keys.js';

describe('editDistance', () => {
  it.each([
    ['thresholds', 'thresholds', 0],
    ['tresholds', 'thresholds', 1],
    ['warnign', 'warning', 1], // a swap counts as one edit
    ['cpuu', 'cpu', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s -> %s = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});

describe('closestKey', () => {
  const keys = ['outputDir', 'formats', 'failOn', 'quiet', 'color', 'system', 'thresholds'];
  it('ignores case, dashes and underscores', () => {
    expect(closestKey('output_dir', keys)).toBe('outputDir');
    expect(closestKey('FAIL-ON', keys)).toBe('failOn');
  });
  it('accepts a prefix of at least 3 letters', () => {
    expect(closestKey('thresh', keys)).toBe('thresholds');
  });
  it('does not suggest something unrelated', () => {
    expect(closestKey('database', keys)).toBeUndefined();
    expect(closestKey('qq', keys)).toBeUndefined();
  });
  it('allows only one edit for short keys', () => {
    expect(closestKey('colr', keys)).toBe('color');
    expect(closestKey('cxlxr', ['cpu'])).toBeUndefined();
  });
});

describe('keys derived from the schema', () => {
  it('knows the keys valid at each level', () => {
    expect(validKeysAt([])).toEqual(expect.arrayContaining(['outputDir', 'formats', 'failOn', 'quiet', 'color', 'json', 'system', 'thresholds']));
    expect(validKeysAt(['system'])).toEqual(['sampleSeconds']);
    expect(validKeysAt(['thresholds', 'cpu'])).toEqual(['normal', 'warning', 'critical']);
    expect(validKeysAt(['outputDir'])).toEqual([]);
  });
  it('lists every key path', () => {
    expect(allKeyPaths()).toContainEqual(['thresholds', 'memory', 'info']);
  });
  it('suggests the same key at another level', () => {
    expect(suggestKeyPath([], 'cpu')).toBe('thresholds.cpu');
    expect(suggestKeyPath(['thresholds'], 'sampleSeconds')).toBe('system.sampleSeconds');
  });
});
