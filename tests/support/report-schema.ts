import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './cli.js';

/** Validates a report against schema/report.schema.json; returns ajv's errors as text, or '' when valid. */
export function reportSchemaErrors(report: unknown): string {
  const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'report.schema.json'), 'utf8')) as object;
  // both are CommonJS: under ESM their classes sit on .default
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(report) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}
