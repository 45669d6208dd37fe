/**
 * The process exit codes, the one place they are defined (README "Exit codes"). Only the CLI and
 * its commands decide which one a run ends with (DESIGN.md section 3).
 */
export const EXIT = {
  /** no finding at or above --fail-on */
  ok: 0,
  /** a finding at or above --fail-on, or a baseline regression with baseline.failOnRegression */
  findings: 1,
  /** a usage or configuration error: nothing ran, no report was written */
  usage: 2,
  /** a bug of ours */
  internal: 3,
  /** SIGINT / SIGTERM: a partial report was written (128 + SIGINT, as shells report it) */
  interrupted: 130,
} as const;
