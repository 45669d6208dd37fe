import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { starterConfigYaml } from '../../src/config/init.js';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { CONFIG_SCHEMA_FILE, configSchemaText, writeConfigSchema } from '../../scripts/write-schemas.js';

describe('schema/config.schema.json', () => {
  it('is up to date with the zod schema (UPDATE_SCHEMAS=1 rewrites it)', async () => {
    if (process.env.UPDATE_SCHEMAS === '1') await writeConfigSchema();
    const onDisk = await readFile(CONFIG_SCHEMA_FILE, 'utf8').catch(() => '(missing)');
    const upToDate = onDisk === configSchemaText();
    expect(upToDate ? 'up to date' : 'schema/config.schema.json is out of date: run UPDATE_SCHEMAS=1 npm test -- tests/config/json-schema').toBe(
      'up to date',
    );
  });
});

describe('configJsonSchema', () => {
  // strict: unknown keywords or ambiguous types would be errors, so any validator can use it
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  const validate = ajv.compile(configJsonSchema());
  const errorsOf = (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

  it('accepts the starter file and a config with durations as strings', () => {
    expect(errorsOf(parse(starterConfigYaml()))).toEqual([]);
    expect(errorsOf({ system: { sampleSeconds: '500ms' }, formats: ['json'], thresholds: { cpu: { warning: 70 } } })).toEqual([]);
  });

  it('rejects what the loader rejects: unknown keys, bad enums, out-of-range durations', () => {
    expect(errorsOf({ tresholds: {} })).not.toEqual([]);
    expect(errorsOf({ thresholds: { cpuu: {} } })).not.toEqual([]);
    expect(errorsOf({ failOn: 'fatal' })).not.toEqual([]);
    expect(errorsOf({ formats: ['xml'] })).not.toEqual([]);
    expect(errorsOf({ system: { sampleSeconds: 10000 } })).not.toEqual([]);
    expect(errorsOf({ system: { sampleSeconds: 'five' } })).not.toEqual([]);
  });

  type Node = { description?: string; default?: unknown; properties?: Record<string, Node>; anyOf?: Node[] };
  /** The object branch of a section that may also be left empty (null). */
  const objectBranch = (node: Node | undefined): Node | undefined => node?.anyOf?.find((branch) => branch.properties !== undefined) ?? node;

  it('describes every key and shows its default', () => {
    const schema = configJsonSchema() as Node;
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      expect({ key, described: typeof property.description === 'string' }).toEqual({ key, described: true });
    }
    expect(schema.properties?.outputDir?.default).toBe('reports');
    const system = objectBranch(schema.properties?.system);
    expect(system?.properties?.sampleSeconds).toMatchObject({ default: 5, description: expect.any(String) });
    const thresholds = objectBranch(schema.properties?.thresholds);
    expect(thresholds?.properties?.cpu?.description).toEqual(expect.any(String));
    expect(objectBranch(thresholds?.properties?.cpu)?.properties?.warning).toMatchObject({ default: 80 });
  });

  it('represents a duration as a bounded number or a string with a unit', () => {
    const system = objectBranch((configJsonSchema() as Node).properties?.system);
    expect(system?.properties?.sampleSeconds?.anyOf).toEqual([
      { type: 'number', minimum: 0.2, maximum: 300 },
      { type: 'string', pattern: expect.any(String) },
    ]);
  });

  it('lets a section be left empty, as the loader does', () => {
    expect(errorsOf({ system: null, thresholds: { cpu: null } })).toEqual([]);
    expect(errorsOf(null)).not.toEqual([]);
  });
});
