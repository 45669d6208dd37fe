const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Bytes for people, in binary units (1 KiB = 1024 B, the unit memory limits and page sizes are
 * counted in) with one decimal: 1536 -> "1.5 KiB", 16 * 1024 ** 3 -> "16.0 GiB"; null -> "n/a".
 * The one byte formatter of rules and reporters, so a finding and the summary never disagree.
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return 'n/a';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}
