import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { allKeyPaths } from '../../src/config/keys.js';
import { starterConfigYaml, writeStarterConfig } from '../../src/config/init.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { DEFAULT_THRESHOLDS, THRESHOLD_DEFINITIONS } from '../../src/rules/thresholds.js';

describe('starterConfigYaml', () => {
  const text = starterConfigYaml();

  it('starts with the yaml-language-server schema line and has a $schema key', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/perf-analyze/schema/config.schema.json');
    expect(parse(text)).toMatchObject({ $schema: './node_modules/perf-analyze/schema/config.schema.json' });
  });

  it('loads back to exactly the defaults', async () => {
    const loaded = await loadConfig({ configPath: 'perf-analyze.yaml', env: {}, flags: {}, readFile: async () => text });
    const { $schema, ...withoutSchemaKey } = loaded;
    expect($schema).toBeDefined();
    expect(withoutSchemaKey).toEqual(configSchema.parse({}));
  });

  it('shows every key except thresholds entries, each after a comment line', () => {
    const lines = text.split('\n');
    const leafPaths = allKeyPaths().filter((path) => path[0] !== 'thresholds' && path[0] !== '$schema');
    // keys without a default (api.baseUrl, api.login...) are shown as commented-out examples
    const optional = new Set(['api.baseUrl', 'api.login', 'load.enabled', 'load.endpoints', 'database.url', 'database.sampleSeconds', 'pgbouncer.url', 'redis.url', 'docker.enabled', 'docker.host', 'diagnosis.containers', 'load.thinkTimeSeconds', 'baseline.against', 'keep', 'pushgateway']);
    for (const path of leafPaths) {
      const key = path[path.length - 1]!;
      const dotted = path.join('.');
      const prefix = optional.has(dotted) || dotted.startsWith('api.login.') ? '\\s*#?\\s*' : '\\s*';
      const index = lines.findIndex((line) => new RegExp(`^${prefix}${key}:`).test(line));
      expect({ key, found: index >= 0 }).toEqual({ key, found: true });
      expect({ key, comment: lines[index - 1]?.trim().startsWith('#') }).toEqual({ key, comment: true });
    }
  });

  it('lists every threshold commented out, with its default values, description and source', () => {
    const lines = text.split('\n');
    for (const [key, definition] of Object.entries(THRESHOLD_DEFINITIONS)) {
      const index = lines.findIndex((line) => line.startsWith(`  # ${key}: {`));
      expect({ key, found: index >= 0 }).toEqual({ key, found: true });
      expect(lines[index - 1]).toBe(`  # ${definition.description}. Source: ${definition.source}`);
    }
    // commented out, the section loads as no override at all
    expect(parse(text).thresholds ?? {}).toEqual({});
    // uncommenting every entry gives a valid config whose thresholds are exactly the defaults
    const uncommented = text.replace(/^ {2}# (\w+: \{.*\})$/gm, '  $1');
    const thresholds = parse(uncommented).thresholds;
    expect(thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(configSchema.safeParse({ thresholds }).success).toBe(true);
  });
});

describe('writeStarterConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perf-analyze-init-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the starter file', async () => {
    const path = join(dir, 'new.yaml');
    await expect(writeStarterConfig(path, { force: false })).resolves.toBe('written');
    expect(await readFile(path, 'utf8')).toBe(starterConfigYaml());
  });

  it('leaves an existing file alone without force', async () => {
    const path = join(dir, 'existing.yaml');
    await writeFile(path, 'mine\n');
    await expect(writeStarterConfig(path, { force: false })).resolves.toBe('exists');
    expect(await readFile(path, 'utf8')).toBe('mine\n');
  });

  it('overwrites an existing file with force', async () => {
    const path = join(dir, 'forced.yaml');
    await writeFile(path, 'mine\n');
    await expect(writeStarterConfig(path, { force: true })).resolves.toBe('written');
    expect(await readFile(path, 'utf8')).toBe(starterConfigYaml());
  });

  it('throws other errors, e.g. a missing directory', async () => {
    await expect(writeStarterConfig(join(dir, 'no', 'such', 'dir.yaml'), { force: false })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('uses the writer it is given', async () => {
    const calls: unknown[] = [];
    await writeStarterConfig('x.yaml', { force: false }, { writeFile: async (...args) => void calls.push(args) });
    expect(calls).toEqual([['x.yaml', starterConfigYaml(), { encoding: 'utf8', flag: 'wx' }]]);
  });
});
