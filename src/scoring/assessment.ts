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

/**
 * Why the label is what it is, in one line: the score it follows and, when a critical finding caps
 * it below what the score alone would give, how many criticals ("POOR: 4 critical findings; health 79/100").
 */
export function assessmentReason(health: number, performance: number | undefined, findings: readonly Finding[]): string {
  const label = assess(health, performance, findings);
  const lowest = performance === undefined ? health : Math.min(health, performance);
  const scores = `health ${Math.round(health)}/100${performance === undefined ? '' : `, performance ${Math.round(performance)}/100`}`;
  const criticals = findings.filter((finding) => finding.severity === 'critical').length;
  if (label !== labelForScore(lowest)) {
    return `${label}: ${criticals} critical finding${criticals === 1 ? '' : 's'} (any critical finding caps the assessment at POOR); ${scores}`;
  }
  const which = performance !== undefined && performance < health ? `the performance score ${Math.round(performance)}/100 (the lower of the two)` : `the health score ${Math.round(health)}/100${performance === undefined ? '' : ' (the lower of the two)'}`;
  return `${label}: follows ${which}; ${scores}`;
}
