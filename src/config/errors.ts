/**
 * The one error type of configuration loading. It carries every problem found, not just the
 * first, so a user fixes a config file in one pass. The CLI maps it to exit code 2.
 */

export type ConfigProblemKind =
  /** the file could not be read (missing, a directory, no permission) */
  | 'unreadable'
  /** YAML or JSON that does not parse */
  | 'syntax'
  /** a key the schema does not know */
  | 'unknown-key'
  /** a value of the wrong type, out of range, or not one of the allowed values */
  | 'invalid-value'
  /** two values that are each valid but contradict each other (warning >= critical) */
  | 'conflict';

export interface ConfigProblem {
  kind: ConfigProblemKind;
  /** where it came from: a file path (with :line:col for syntax errors), a flag such as `--sample-seconds`, or an environment variable */
  source: string;
  /** dotted key path such as `system.sampleSeconds`; absent for flags (the flag names it) and file-level problems */
  keyPath?: string;
  /** the value as given, rendered for a human, secrets already redacted */
  given?: string;
  /** the whole explanation after `source: keyPath:`, e.g. `got "5 parsecs"; expected a duration ...` */
  detail: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatConfigErrorMessage(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.keyPath === undefined ? problem.source : `${problem.source}: ${problem.keyPath}`;
  return `${where}: ${problem.detail}`;
}

export function formatConfigErrorMessage(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => `  - ${formatProblem(problem)}`);
  return [
    `perf-analyze: invalid configuration (${count}):`,
    ...lines,
    'Run "perf-analyze init" to write a commented starter file.',
  ].join('\n');
}

// ---- rendering values without leaking secrets --------------------------------------------

const SECRET_KEY_PATTERN = /pass(word|wd)|secret|token|api[-_]?key|credential/i;

/** True when a key path names something that holds a secret, so its value must never be shown. */
export function isSecretKeyPath(keyPath: readonly (string | number)[]): boolean {
  return keyPath.some((segment) => typeof segment === 'string' && SECRET_KEY_PATTERN.test(segment));
}

/** `postgres://user:pass@host/db` -> `postgres://***@host/db`, anywhere in a string. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}

const MAX_SHOWN_LENGTH = 60;

/** A value as a user would recognise it in their file or command line, redacted and kept short. */
export function renderGivenValue(value: unknown, keyPath: readonly (string | number)[]): string {
  if (isSecretKeyPath(keyPath)) return '<redacted>';
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const redacted = redactUrlCredentials(value);
    const shown = redacted.length > MAX_SHOWN_LENGTH ? `${redacted.slice(0, MAX_SHOWN_LENGTH)}…` : redacted;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** `['thresholds', 'cpu', 'warning']` -> `thresholds.cpu.warning`; `['formats', 1]` -> `formats[1]`. */
export function formatKeyPath(keyPath: readonly (string | number | symbol)[]): string {
  let text = '';
  for (const segment of keyPath) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
