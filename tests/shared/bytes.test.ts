import { describe, expect, it } from '@jest/globals';
import { formatBytes } from '../../src/shared/bytes.js';

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 ** 2, '10.0 MiB'],
    [16 * 1024 ** 3, '16.0 GiB'],
    [46.2e9, '43.0 GiB'],
    [1.5 * 1024 ** 4, '1.5 TiB'],
    [-2048, '-2.0 KiB'],
  ])('%d bytes -> %s (binary units)', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('says n/a for a value that was not measured', () => {
    expect(formatBytes(null)).toBe('n/a');
    expect(formatBytes(Number.NaN)).toBe('n/a');
  });
});
