import type { Assessment } from '../contracts/report.js';
import type { Finding } from '../contracts/finding.js';

/**
 * Score bands of the assessment label. The specification's example reads
 * "GOOD" at 87/100; these bands keep that and split the rest evenly.
 */
const BANDS: Array<[number, Assessment]> = [
  [90, 'EXCELLENT'],
  [75, 'GOOD'],
  [60, 'FAIR'],
  [40, 'POOR'],
  [0, 'CRITICAL'],
];

const ORDER: Assessment[] = ['CRITICAL', 'POOR', 'FAIR', 'GOOD', 'EXCELLENT'];

export function labelForScore(score: number): Assessment {
  for (const [minimum, label] of BANDS) if (score >= minimum) return label;
  return 'CRITICAL';
}

/**
 * The label follows the lower of the health and performance scores and is capped
 * at POOR by any critical finding (DESIGN.md section 4, Scores).
 */
export function assess(health: number, performance: number | undefined, findings: readonly Finding[]): Assessment {
  const lowest = performance === undefined ? health : Math.min(health, performance);
  const fromScore = labelForScore(lowest);
  const hasCritical = findings.some((finding) => finding.severity === 'critical');
  if (hasCritical && ORDER.indexOf(fromScore) > ORDER.indexOf('POOR')) return 'POOR';
  return fromScore;
}
