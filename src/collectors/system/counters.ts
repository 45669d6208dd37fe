/** Small arithmetic shared by the two-sample parsers. */

/** after - before for a monotonically increasing counter; null when it went backwards (reset, device re-created). */
export function counterDelta(before: number, after: number): number | null {
  if (!Number.isFinite(before) || !Number.isFinite(after) || after < before) return null;
  return after - before;
}

/** per-second rate of a counter over the window; null when the window is empty or the counter reset */
export function ratePerSecond(before: number, after: number, windowMs: number): number | null {
  const change = counterDelta(before, after);
  if (change === null || windowMs <= 0) return null;
  return round2((change * 1000) / windowMs);
}

/** part / whole as a percentage; null when the whole is zero (nothing happened, so no share to report) */
export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) return null;
  return round2((part / whole) * 100);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** "Key: 123 kB" or "key 123" lines into a map of numbers (meminfo, vmstat). */
export function parseKeyValueNumbers(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):?\s+(\d+)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], Number(match[2]));
  }
  return values;
}
