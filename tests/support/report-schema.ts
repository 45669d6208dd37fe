import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from './cli.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Validates a report against schema/report.schema.json; returns ajv's errors as text, or '' when valid. */
export function reportSchemaErrors(report: unknown): string {
  const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(report) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}
