/**
 * A measured number with its unit and how it was obtained (DESIGN.md section 5:
 * every number carries its unit and sampling, so "since boot" never passes as "now").
 */
export type Sampling =
  /** read once, at the end of the sampling window */
  | 'gauge'
  /** difference of two samples divided by (or taken over) the window */
  | 'delta'
  /** a counter since boot / server start, reported as such, never as a current rate */
  | 'cumulative';

export interface Metric {
  value: number | null;
  unit: string;
  sampling: Sampling;
  /** length of the window for 'delta' metrics */
  windowMs?: number;
  /** number of samples behind the value, when more than a simple read */
  samples?: number;
}

export const gauge = (value: number | null, unit: string): Metric => ({ value, unit, sampling: 'gauge' });
export const delta = (value: number | null, unit: string, windowMs: number): Metric => ({
  value,
  unit,
  sampling: 'delta',
  windowMs,
});
export const cumulative = (value: number | null, unit: string): Metric => ({ value, unit, sampling: 'cumulative' });
