import { readFile as readFileFromDisk } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../rules/thresholds.js';
import {
  ConfigError,
  formatKeyPath,
  renderGivenValue,
  redactUrlCredentials,
  type ConfigProblem,
} from './errors.js';
import { isSectionAt, suggestKeyPath, validKeysAt } from './keys.js';
import { configSchema, type Config } from './schema.js';
import { missingVariables } from './env-template.js';
import { errorMessage } from '../shared/errors.js';

/**
 * CLI flags already parsed by the CLI, named after the config keys they set.
 * Pass only flags the user actually gave: a value here overrides the config file.
 * (commander fills `color: true` for a `--no-color` option that was not given;
 * use `program.getOptionValueSource(name) === 'cli'` to tell.)
 */
export interface FlagValues {
  /** `-o, --output-dir <dir>` */
  outputDir?: string;
  /** `--format <list>`: "json,text" as given, or already split */
  formats?: string | readonly string[];
  /** `--fail-on <level>` */
  failOn?: string;
  /** `--quiet` */
  quiet?: boolean;
  /** `--no-color` (false) or `--color` (true) */
  color?: boolean;
  /** `--json` */
  json?: boolean;
  /** `--sample-seconds <duration>`: a string as typed; the schema parses it */
  sampleSeconds?: number | string;
  /** `--database-url <url>` */
  databaseUrl?: string;
  /** `--pgbouncer-url <url>` */
  pgbouncerUrl?: string;
  /** `--redis-url <url>` */
  redisUrl?: string;
  /** `--api-url <url>` */
  apiUrl?: string;
  /** `--load` (true: run the load test) or `--no-load` (false) */
  load?: boolean;
  /** `--diagnose`: the cross-layer diagnosis (diagnosis.enabled) */
  diagnose?: boolean;
  /** `--load-concurrency <list>`: "1,5,10" as given, or already split */
  loadConcurrency?: string | readonly number[];
  /** `--load-duration <duration>` per level or rate */
  loadDuration?: number | string;
  /** `--load-rates <list>`: open-model rates, "100,200" as given, or already split */
  loadRates?: string | readonly number[];
  /** `--docker-host <socket-or-url>` */
  dockerHost?: string;
  /** `--baseline <file|latest>` */
  baseline?: string;
  /** `--fail-on-regression` */
  failOnRegression?: boolean;
  /** `--keep <n>`: a string as typed, or a number */
  keep?: number | string;
  /** `--pushgateway <url>` */
  pushgateway?: string;
}

/** Where each flag lands in the config, and the flag's name for error messages. */
export const FLAG_TARGETS: { readonly [K in keyof FlagValues]-?: { path: readonly string[]; flag: string } } = {
  outputDir: { path: ['outputDir'], flag: '--output-dir' },
  formats: { path: ['formats'], flag: '--format' },
  failOn: { path: ['failOn'], flag: '--fail-on' },
  quiet: { path: ['quiet'], flag: '--quiet' },
  color: { path: ['color'], flag: '--no-color' },
  json: { path: ['json'], flag: '--json' },
  sampleSeconds: { path: ['system', 'sampleSeconds'], flag: '--sample-seconds' },
  databaseUrl: { path: ['database', 'url'], flag: '--database-url' },
  pgbouncerUrl: { path: ['pgbouncer', 'url'], flag: '--pgbouncer-url' },
  redisUrl: { path: ['redis', 'url'], flag: '--redis-url' },
  apiUrl: { path: ['api', 'baseUrl'], flag: '--api-url' },
  load: { path: ['load', 'enabled'], flag: '--load/--no-load' },
  loadConcurrency: { path: ['load', 'concurrency'], flag: '--load-concurrency' },
  loadDuration: { path: ['load', 'durationSeconds'], flag: '--load-duration' },
  loadRates: { path: ['load', 'rates'], flag: '--load-rates' },
  dockerHost: { path: ['docker', 'host'], flag: '--docker-host' },
  diagnose: { path: ['diagnosis', 'enabled'], flag: '--diagnose' },
  baseline: { path: ['baseline', 'against'], flag: '--baseline' },
  failOnRegression: { path: ['baseline', 'failOnRegression'], flag: '--fail-on-regression' },
  keep: { path: ['keep'], flag: '--keep' },
  pushgateway: { path: ['pushgateway'], flag: '--pushgateway' },
};

export interface LoadConfigInput {
  /** from `-c, --config`; when absent, PERF_ANALYZE_CONFIG; when both are absent no file is read */
  configPath?: string;
  env: NodeJS.ProcessEnv;
  flags: FlagValues;
  /** injected in tests; defaults to reading UTF-8 from disk */
  readFile?: (path: string) => Promise<string>;
}

type RawConfig = Record<string, unknown>;

/** One source of configuration values, before validation. */
interface Layer {
  data: RawConfig;
  /** how a problem at `path` names where the value came from */
  sourceOf: (path: readonly (string | number)[]) => string;
  /** key paths are shown for files; a flag or variable name already says which key it is */
  showsKeyPath: boolean;
}

/**
 * The effective configuration: defaults < environment < config file < flags.
 * Throws ConfigError listing every problem found (all layers are checked, so that a bad
 * file value is reported even when a flag overrides it).
 */
export async function loadConfig(input: LoadConfigInput): Promise<Config> {
  const problems: ConfigProblem[] = [];

  const envLayer = environmentLayer(input.env);
  const flagLayer = flagsLayer(input.flags);
  let fileLayer: Layer | undefined;

  const configPath = nonEmpty(input.configPath) ?? nonEmpty(input.env.PERF_ANALYZE_CONFIG);
  if (configPath !== undefined) {
    const namedBy = nonEmpty(input.configPath) !== undefined ? '--config' : 'PERF_ANALYZE_CONFIG';
    const loaded = await readConfigFile(configPath, namedBy, input.readFile ?? ((path) => readFileFromDisk(path, 'utf8')));
    if ('problems' in loaded) problems.push(...loaded.problems);
    else fileLayer = { data: loaded.data, sourceOf: () => configPath, showsKeyPath: true };
  }

  const layersLowToHigh = [envLayer, ...(fileLayer ? [fileLayer] : []), flagLayer];
  for (const layer of layersLowToHigh) problems.push(...schemaProblems(layer));

  const merged = layersLowToHigh.reduce<RawConfig>((lower, layer) => mergeRaw(lower, layer.data), {});
  problems.push(...thresholdOrderProblems(merged, layersLowToHigh));
  problems.push(...templateProblems(merged, layersLowToHigh, input.env));
  if (problems.length > 0) throw new ConfigError(problems);

  // Each layer passed on its own and every key is checked independently, so the merge passes too;
  // still, never return an unchecked config.
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const mergedLayer: Layer = { data: merged, sourceOf: () => 'configuration', showsKeyPath: true };
    throw new ConfigError(schemaProblems(mergedLayer));
  }
  return result.data;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Split `--format json,text` (or a repeated flag) into format names; duplicates dropped. */
export function parseFormatList(formats: string | readonly string[]): string[] {
  const parts = (typeof formats === 'string' ? [formats] : formats).flatMap((text) => text.split(','));
  return [...new Set(parts.map((part) => part.trim()).filter((part) => part !== ''))];
}

/** Split `--load-concurrency 1,5,10` into numbers; a part that is not a number stays text so the error names it. */
export function parseNumberList(list: string | readonly number[]): Array<number | string> {
  if (typeof list !== 'string') return [...list];
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => (/^\d+(\.\d+)?$/.test(part) ? Number(part) : part));
}

// ---- layers ------------------------------------------------------------------------------

/** Environment variables that set a config key (DESIGN.md section 4); a config file key overrides them. */
export const ENV_TARGETS: Readonly<Record<string, readonly string[]>> = {
  DATABASE_URL: ['database', 'url'],
  REDIS_URL: ['redis', 'url'],
  PERF_API_URL: ['api', 'baseUrl'],
  // the Docker CLI's variable: a socket path or URL (unix://, tcp://)
  DOCKER_HOST: ['docker', 'host'],
};

function environmentLayer(env: NodeJS.ProcessEnv): Layer {
  const data: RawConfig = {};
  // https://no-color.org: any non-empty value turns colour off
  if (nonEmpty(env.NO_COLOR) !== undefined) data.color = false;
  for (const [variable, path] of Object.entries(ENV_TARGETS)) {
    const value = nonEmpty(env[variable]);
    if (value !== undefined) setAt(data, path, value);
  }
  const sourceOf = (path: readonly (string | number)[]) =>
    Object.entries(ENV_TARGETS).find(([, target]) => target.every((segment, i) => path[i] === segment))?.[0] ?? 'NO_COLOR';
  return { data, sourceOf, showsKeyPath: false };
}

function flagsLayer(flags: FlagValues): Layer {
  const data: RawConfig = {};
  for (const [name, target] of Object.entries(FLAG_TARGETS) as [keyof FlagValues, (typeof FLAG_TARGETS)[keyof FlagValues]][]) {
    const value = flags[name];
    if (value === undefined) continue;
    const parsed =
      name === 'formats'
        ? parseFormatList(value as string | readonly string[])
        : name === 'loadConcurrency' || name === 'loadRates'
          ? parseNumberList(value as string | readonly number[])
          : name === 'keep'
            ? numberIfNumeric(value)
            : value;
    setAt(data, target.path, parsed);
  }
  const sourceOf = (path: readonly (string | number)[]) => {
    const target = Object.values(FLAG_TARGETS).find((candidate) => candidate.path.every((segment, i) => path[i] === segment));
    return target?.flag ?? 'command line';
  };
  return { data, sourceOf, showsKeyPath: false };
}

/** "7" -> 7 (flags arrive as strings); anything else stays as given, for the schema to reject with the value shown. */
function numberIfNumeric(value: unknown): unknown {
  return typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

// ---- the file ----------------------------------------------------------------------------

type FileResult = { data: RawConfig } | { problems: ConfigProblem[] };

async function readConfigFile(path: string, namedBy: string, readFile: (path: string) => Promise<string>): Promise<FileResult> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    const detail = `cannot read the configuration file (named by ${namedBy}): ${describeReadError(error)}`;
    return { problems: [{ kind: 'unreadable', source: path, detail }] };
  }
  const parsed = extname(path).toLowerCase() === '.json' ? parseJson(text, path) : parseYaml(text, path);
  if ('problems' in parsed) return parsed;

  const data: unknown = parsed.value ?? {}; // an empty file (or only comments) is an empty config
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const detail = `expected a mapping of configuration keys at the top level; got ${renderGivenValue(data, [])}`;
    return { problems: [{ kind: 'invalid-value', source: path, detail }] };
  }
  return { data: dropEmptySections(data as RawConfig, []) };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return errorMessage(error);
  }
}

type ParseResult = { value: unknown } | { problems: ConfigProblem[] };

function parseYaml(text: string, path: string): ParseResult {
  const lineCounter = new LineCounter();
  // prettyErrors off: the pretty form quotes the offending source line, which may hold a secret
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { kind: 'syntax', source: `${path}:${line}:${col}`, detail: `YAML syntax error: ${redactUrlCredentials(error.message)}` };
      }),
    };
  }
  try {
    return { value: document.toJS() };
  } catch (error) {
    // e.g. the alias-count guard against "billion laughs" documents
    const reason = errorMessage(error);
    return { problems: [{ kind: 'syntax', source: path, detail: `YAML error: ${reason}` }] };
  }
}

function parseJson(text: string, path: string): ParseResult {
  const withoutBom = text.replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(withoutBom) };
  } catch (error) {
    const message = errorMessage(error);
    const offset = jsonErrorOffset(withoutBom, message);
    const source = offset === undefined ? path : `${path}:${lineAndColumn(withoutBom, offset)}`;
    return { problems: [{ kind: 'syntax', source, detail: `JSON syntax error: ${cleanJsonErrorMessage(message)}` }] };
  }
}

/**
 * V8 says "... in JSON at position N" for most errors, but not for an unexpected token
 * ("Unexpected token 'x', "{"a": x}" is not valid JSON"). Then the YAML parser in JSON mode,
 * which reports positions for everything, finds the spot.
 */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/end of JSON input/.test(message)) return text.length;
  const document = parseDocument(text, { schema: 'json', prettyErrors: false });
  return document.errors[0]?.pos[0];
}

/**
 * Drop V8's quote of the source text and a token that is a letter or digit (either may be part
 * of a secret), and the raw offset (given as line:col instead).
 */
function cleanJsonErrorMessage(message: string): string {
  return message
    .replace(/, (\.\.\.)?".*$/s, '')
    .replace(/^Unexpected token '[\p{L}\p{N}]'/u, 'Unexpected token')
    .replace(/ in JSON at position \d+.*$/s, '');
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

/**
 * A section left empty in YAML (`thresholds:` followed only by comments) is null;
 * read it as "not set" so the starter file's commented-out examples need no `{}`.
 */
function dropEmptySections(data: RawConfig, path: readonly string[]): RawConfig {
  const result: RawConfig = {};
  for (const [key, value] of Object.entries(data)) {
    const keyPath = [...path, key];
    if (value === null && isSectionAt(keyPath)) continue;
    result[key] = isPlainObject(value) ? dropEmptySections(value, keyPath) : value;
  }
  return result;
}

// ---- validation --------------------------------------------------------------------------

function schemaProblems(layer: Layer): ConfigProblem[] {
  const result = configSchema.safeParse(layer.data);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => issueProblems(issue, layer));
}

function issueProblems(issue: z.core.$ZodIssue, layer: Layer): ConfigProblem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const parentPath = path.map(String);
    return issue.keys.map((key) => {
      const fullPath = formatKeyPath([...path, key]);
      const suggestion = suggestKeyPath(parentPath, key);
      const detail =
        suggestion !== undefined
          ? `unknown key "${fullPath}" — did you mean "${suggestion}"?`
          : `unknown key "${fullPath}" (valid here: ${validKeysAt(parentPath).join(', ')})`;
      return { kind: 'unknown-key', source: layer.sourceOf(path), detail };
    });
  }
  const given = renderGivenValue(valueAt(layer.data, path), path);
  return [
    {
      kind: 'invalid-value',
      source: layer.sourceOf(path),
      ...(layer.showsKeyPath ? { keyPath: formatKeyPath(path) } : {}),
      given,
      detail: `got ${given}; expected ${expectation(issue)}`,
    },
  ];
}

/** What the schema wanted, in words a user of a YAML file knows. */
function expectation(issue: z.core.$ZodIssue): string {
  // our own messages (durations) already say it
  if (issue.message.startsWith('expected ')) return issue.message.slice('expected '.length);
  switch (issue.code) {
    case 'invalid_type':
      return describeType(issue.expected);
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `a list of at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'a non-empty string';
      return `a number ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `a list of at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `a string of at most ${issue.maximum} characters`;
      return `a number ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function describeType(type: string): string {
  switch (type) {
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping of keys';
    case 'array':
      return 'a list';
    default:
      return `a ${type}`;
  }
}

const LEVEL_ORDER = ['normal', 'info', 'warning', 'critical'] as const;

/**
 * Within a threshold entry the levels must rise: normal < info < warning < critical
 * (each compared with the next one present). A value not given is the default.
 * Every rule so far fires *above* its thresholds; a rule that fires below them will need
 * its own order here when it arrives.
 */
function thresholdOrderProblems(merged: RawConfig, layers: readonly Layer[]): ConfigProblem[] {
  const overrides = merged.thresholds;
  if (!isPlainObject(overrides)) return [];
  const problems: ConfigProblem[] = [];
  for (const [entryName, defaults] of Object.entries(DEFAULT_THRESHOLDS)) {
    const given = overrides[entryName];
    if (!isPlainObject(given)) continue;
    const values: Record<string, { value: number; isDefault: boolean }> = {};
    for (const [level, defaultValue] of Object.entries(defaults)) {
      const override = given[level];
      values[level] = typeof override === 'number' && Number.isFinite(override)
        ? { value: override, isDefault: false }
        : { value: defaultValue, isDefault: true };
    }
    const present = LEVEL_ORDER.filter((level) => values[level] !== undefined);
    for (let i = 0; i + 1 < present.length; i++) {
      const lowerLevel = present[i]!;
      const higherLevel = present[i + 1]!;
      const lower = values[lowerLevel]!;
      const higher = values[higherLevel]!;
      if (lower.isDefault && higher.isDefault) continue;
      if (lower.value < higher.value) continue;
      // name the key the user gave; when both were given, the lower one
      const blamedLevel = lower.isDefault ? higherLevel : lowerLevel;
      const otherLevel = blamedLevel === lowerLevel ? higherLevel : lowerLevel;
      const blamed = values[blamedLevel]!;
      const other = values[otherLevel]!;
      const path = ['thresholds', entryName, blamedLevel];
      const layer = [...layers].reverse().find((candidate) => valueAt(candidate.data, path) !== undefined);
      const relation = blamedLevel === lowerLevel ? 'less than' : 'greater than';
      problems.push({
        kind: 'conflict',
        source: layer?.sourceOf(path) ?? 'configuration',
        keyPath: formatKeyPath(path),
        given: String(blamed.value),
        detail: `got ${blamed.value}; expected ${relation} thresholds.${entryName}.${otherLevel} (${other.value}${other.isDefault ? ', the default' : ''})`,
      });
    }
  }
  return problems;
}

/**
 * `${VAR}` in api.login.body and in request headers must name a set environment variable:
 * a missing one is named (its value never is, set or not).
 */
function templateProblems(merged: RawConfig, layers: readonly Layer[], env: NodeJS.ProcessEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const places: Array<(string | number)[]> = [['api', 'login', 'body']];
  const endpoints = valueAt(merged, ['api', 'endpoints']);
  if (Array.isArray(endpoints)) {
    endpoints.forEach((_endpoint, index) => places.push(['api', 'endpoints', index, 'headers'], ['api', 'endpoints', index, 'body']));
  }
  for (const path of places) {
    const value = valueAt(merged, path);
    if (value === undefined) continue;
    const layer = [...layers].reverse().find((candidate) => valueAt(candidate.data, path) !== undefined);
    for (const name of missingVariables(value, env)) {
      problems.push({
        kind: 'invalid-value',
        source: layer?.sourceOf(path) ?? 'configuration',
        keyPath: formatKeyPath(path),
        detail: `environment variable ${name} is not set (referenced as \${${name}}); export it before running perf-analyze`,
      });
    }
  }
  return problems;
}

// ---- small helpers for plain data --------------------------------------------------------

function isPlainObject(value: unknown): value is RawConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current) && typeof segment === 'string' && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

function setAt(data: RawConfig, path: readonly string[], value: unknown): void {
  let current = data;
  for (const segment of path.slice(0, -1)) {
    const next = current[segment];
    current = isPlainObject(next) ? next : (current[segment] = {});
  }
  current[path[path.length - 1]!] = value;
}

/** Mappings merge key by key; anything else (scalars, lists) from `higher` replaces `lower`. */
function mergeRaw(lower: RawConfig, higher: RawConfig): RawConfig {
  const result: RawConfig = { ...lower };
  for (const [key, value] of Object.entries(higher)) {
    const below = result[key];
    result[key] = isPlainObject(below) && isPlainObject(value) ? mergeRaw(below, value) : value;
  }
  return result;
}
