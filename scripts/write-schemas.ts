/**
 * Writes the generated JSON Schemas in schema/. Node 20 cannot run TypeScript directly, so
 * tests/config/json-schema.test.ts calls writeConfigSchema() when UPDATE_SCHEMAS=1:
 *   UPDATE_SCHEMAS=1 npm test -- tests/config/json-schema
 * Without it, that test fails when the committed file is out of date.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configJsonSchema } from '../src/config/json-schema.js';

export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../schema/config.schema.json', import.meta.url));

/** The exact text of schema/config.schema.json. */
export function configSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

export async function writeConfigSchema(path: string = CONFIG_SCHEMA_FILE): Promise<string> {
  await writeFile(path, configSchemaText(), 'utf8');
  return path;
}

async function main(): Promise<void> {
  await writeConfigSchema();
}

// run only when executed as a script (e.g. compiled), not when a test imports this module
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
