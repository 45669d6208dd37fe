import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig, parseFormatList, type FlagValues } from '../../src/config/load.js';

/** loadConfig over an in-memory set of files. */
function loadWith(files: Record<string, string>, options: { configPath?: string; env?: NodeJS.ProcessEnv; flags?: FlagValues } = {}) {
  return loadConfig({
    configPath: options.configPath,
    env: options.env ?? {},
    flags: options.flags ?? {},
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
  });
}

const DEFAULTS = {
  outputDir: 'reports',
  formats: ['json', 'text'],
  failOn: 'critical',
  quiet: false,
  color: true,
  json: false,
  system: { sampleSeconds: 5 },
  docker: {
    include: { names: [], labels: [] },
    exclude: { names: [], labels: [] },
    concurrency: 100,
    timeoutSeconds: 10,
    latencySamples: 20,
    recentExitHours: 24,
  },
  api: { endpoints: [], samples: 20, warmup: 3, timeoutSeconds: 10, maxBodyBytes: 10485760, insecure: false },
  load: {
    concurrency: [1, 5, 10, 25, 50, 100],
    rates: [],
    durationSeconds: 10,
    maxTotalSeconds: 180,
    maxRequests: 5000000,
    warmupSeconds: 1,
    timeoutSeconds: 10,
    connections: 100,
    knee: { p95Ms: 500, maxErrorPercent: 1, minGrowthPercent: 10 },
    generator: { cpuPercent: 90, eventLoopDelayMs: 50 },
  },
  diagnosis: { enabled: false, secondsPerEndpoint: 2, requestsPerEndpoint: 300, concurrency: 2, scalingConcurrency: 8, controlSeconds: 2, topQueries: 5 },
  database: { databases: [], latencySamples: 20, statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 5000, topStatements: 10, planStatements: 20, explainAnalyze: false },
  pgbouncer: {},
  redis: { queues: [], sampleSeconds: 5, pingSamples: 100, maxKeys: 100000, maxScanSeconds: 2, scanCount: 200, connectTimeoutSeconds: 3, commandTimeoutSeconds: 5 },
  baseline: {
    failOnRegression: false,
    severity: 'warning',
    relativePercent: 25,
    absolute: {},
    confidenceZ: 3,
    percentileMinChangePercent: 10,
    ignore: ['system.cpu.perCore*', 'system.load.load1*', 'load.*.generator.*', 'docker.services*'],
  },
  thresholds: {},
};

describe('loadConfig: defaults', () => {
  it('gives every default when there is no file, env or flag', async () => {
    await expect(loadWith({})).resolves.toEqual(DEFAULTS);
  });

  it('reads an empty file, or one with only comments, as an empty config', async () => {
    await expect(loadWith({ 'empty.yaml': '' }, { configPath: 'empty.yaml' })).resolves.toEqual(DEFAULTS);
    await expect(loadWith({ 'c.yaml': '# nothing yet\n' }, { configPath: 'c.yaml' })).resolves.toEqual(DEFAULTS);
  });

  it('reads a section left empty in YAML (`thresholds:`) as not set', async () => {
    const config = await loadWith({ 'c.yaml': 'system:\nthresholds:\n  cpu:\n' }, { configPath: 'c.yaml' });
    expect(config.system).toEqual({ sampleSeconds: 5 });
    expect(config.thresholds).toEqual({});
  });
});

describe('loadConfig: file formats', () => {
  it('parses .yaml and .yml with YAML, .json with JSON, anything else as YAML', async () => {
    const files = {
      'a.yaml': 'failOn: warning\n',
      'a.yml': 'failOn: info\n',
      'a.json': '{"failOn": "none"}',
      'a.conf': 'failOn: warning\nquiet: true\n',
    };
    expect((await loadWith(files, { configPath: 'a.yaml' })).failOn).toBe('warning');
    expect((await loadWith(files, { configPath: 'a.yml' })).failOn).toBe('info');
    expect((await loadWith(files, { configPath: 'a.json' })).failOn).toBe('none');
    expect(await loadWith(files, { configPath: 'a.conf' })).toMatchObject({ failOn: 'warning', quiet: true });
  });

  it('accepts durations as numbers and strings with units', async () => {
    const seconds = async (value: string) =>
      (await loadWith({ 'c.yaml': `system:\n  sampleSeconds: ${value}\n` }, { configPath: 'c.yaml' })).system.sampleSeconds;
    expect(await seconds('5')).toBe(5);
    expect(await seconds('"500ms"')).toBe(0.5);
    expect(await seconds('2m')).toBe(120);
    expect(await seconds('0.2')).toBe(0.2);
  });

  it('keeps threshold overrides as given (the rules merge them with the defaults)', async () => {
    const config = await loadWith({ 'c.yaml': 'thresholds:\n  cpu:\n    warning: 70\n' }, { configPath: 'c.yaml' });
    expect(config.thresholds).toEqual({ cpu: { warning: 70 } });
  });
});

describe('loadConfig: precedence defaults < environment < file < flags', () => {
  it('NO_COLOR with any non-empty value turns colour off', async () => {
    expect((await loadWith({}, { env: { NO_COLOR: '1' } })).color).toBe(false);
    expect((await loadWith({}, { env: { NO_COLOR: 'false' } })).color).toBe(false);
  });

  it('an empty NO_COLOR is ignored', async () => {
    expect((await loadWith({}, { env: { NO_COLOR: '' } })).color).toBe(true);
  });

  it('a config file key overrides the environment', async () => {
    const config = await loadWith({ 'c.yaml': 'color: true\n' }, { configPath: 'c.yaml', env: { NO_COLOR: '1' } });
    expect(config.color).toBe(true);
  });

  it('a flag overrides the config file and the environment', async () => {
    const files = { 'c.yaml': 'color: true\nfailOn: warning\nsystem:\n  sampleSeconds: 10\nformats: [json]\n' };
    const config = await loadWith(files, {
      configPath: 'c.yaml',
      env: { NO_COLOR: '1' },
      flags: { color: false, failOn: 'info', sampleSeconds: '2s', formats: 'text' },
    });
    expect(config).toMatchObject({ color: false, failOn: 'info', system: { sampleSeconds: 2 }, formats: ['text'] });
  });

  it('keys set by no flag keep the file value', async () => {
    const config = await loadWith({ 'c.yaml': 'outputDir: nightly\nquiet: true\n' }, { configPath: 'c.yaml', flags: { failOn: 'none' } });
    expect(config).toMatchObject({ outputDir: 'nightly', quiet: true, failOn: 'none' });
  });

  it('reads the file named by PERF_ANALYZE_CONFIG when there is no --config', async () => {
    const files = { 'env.yaml': 'outputDir: from-env\n', 'flag.yaml': 'outputDir: from-flag\n' };
    expect((await loadWith(files, { env: { PERF_ANALYZE_CONFIG: 'env.yaml' } })).outputDir).toBe('from-env');
    const both = await loadWith(files, { configPath: 'flag.yaml', env: { PERF_ANALYZE_CONFIG: 'env.yaml' } });
    expect(both.outputDir).toBe('from-flag');
  });
});

describe('--format parsing', () => {
  it('splits a comma list, trims, drops empties and duplicates', () => {
    expect(parseFormatList('json,text')).toEqual(['json', 'text']);
    expect(parseFormatList(' json , text,,json ')).toEqual(['json', 'text']);
    expect(parseFormatList(['json', 'text,json'])).toEqual(['json', 'text']);
  });

  it('loadConfig takes `--format json,text` as given on the command line', async () => {
    expect((await loadWith({}, { flags: { formats: 'text,json' } })).formats).toEqual(['text', 'json']);
  });

  it('an empty --format is an error naming the flag', async () => {
    const error = await loadWith({}, { flags: { formats: ',' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('--format: got an empty list; expected a list of at least 1 item');
  });
});

describe('loadConfig: files on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perf-analyze-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a real file with the default reader', async () => {
    const path = join(dir, 'perf-analyze.yaml');
    await writeFile(path, 'outputDir: out\n');
    await expect(loadConfig({ configPath: path, env: {}, flags: {} })).resolves.toMatchObject({ outputDir: 'out' });
  });

  it('a missing file is a ConfigError naming the path and the reason', async () => {
    const path = join(dir, 'missing.yaml');
    const error = await loadConfig({ configPath: path, env: {}, flags: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${path}: cannot read the configuration file (named by --config): no such file`);
  });

  it('a directory is a ConfigError naming the path and the reason', async () => {
    const error = await loadConfig({ configPath: dir, env: {}, flags: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${dir}: cannot read the configuration file (named by --config): it is a directory, not a file`);
  });

  it('says when the path came from PERF_ANALYZE_CONFIG', async () => {
    const path = join(dir, 'nope.yaml');
    const error = await loadConfig({ env: { PERF_ANALYZE_CONFIG: path }, flags: {} }).catch((e: unknown) => e);
    expect((error as ConfigError).message).toContain(`${path}: cannot read the configuration file (named by PERF_ANALYZE_CONFIG)`);
  });
});

describe('loadConfig: baseline flags', () => {
  it('--baseline, --fail-on-regression, --keep and --pushgateway land in their keys', async () => {
    const config = await loadWith({}, { flags: { baseline: 'latest', failOnRegression: true, keep: '7', pushgateway: 'http://127.0.0.1:9091' } });
    expect(config.baseline).toMatchObject({ against: 'latest', failOnRegression: true });
    expect(config.keep).toBe(7);
    expect(config.pushgateway).toBe('http://127.0.0.1:9091');
  });

  it('a bad --keep or --pushgateway names the flag', async () => {
    await expect(loadWith({}, { flags: { keep: 'many' } })).rejects.toThrow(/--keep/);
    await expect(loadWith({}, { flags: { keep: '0' } })).rejects.toThrow(/--keep/);
    await expect(loadWith({}, { flags: { pushgateway: 'ftp://x' } })).rejects.toThrow(/--pushgateway/);
  });
});
