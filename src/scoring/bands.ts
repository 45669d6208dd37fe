/**
 * Maps a measured value onto 0-100 with the levels of its threshold row:
 * at or below `normal` 100, falling linearly to 75 at `warning`, to 40 at
 * `critical`, and to 0 at `ceiling` (the worst value the metric can take).
 * The anchors (75 at warning, 40 at critical) are ours: they make a component
 * sitting exactly at a warning threshold read GOOD and one at a critical
 * threshold read POOR, in line with the assessment bands in assessment.ts.
 */
export interface Band {
  normal: number;
  warning: number;
  critical: number;
  ceiling: number;
}

const ANCHORS: Array<[keyof Band, number]> = [
  ['normal', 100],
  ['warning', 75],
  ['critical', 40],
  ['ceiling', 0],
];

export function bandScore(value: number, band: Band): number {
  if (value <= band.normal) return 100;
  for (let i = 1; i < ANCHORS.length; i++) {
    const [lowKey, lowScore] = ANCHORS[i - 1]!;
    const [highKey, highScore] = ANCHORS[i]!;
    const low = band[lowKey];
    const high = band[highKey];
    if (value <= high) {
      if (high <= low) return highScore;
      return lowScore + ((value - low) / (high - low)) * (highScore - lowScore);
    }
  }
  return 0;
}
