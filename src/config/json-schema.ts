import { z } from 'zod';
import { configSchema, durationBounds } from './schema.js';

/** Matches what durationSeconds() parses: "5", "5s", "500 ms", "1.5m" (ms() units, any case). */
const DURATION_STRING_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*[A-Za-z]*\\s*$';

/**
 * The JSON Schema of the config file, for editors (`$schema` / yaml-language-server) and
 * other tools. It describes what a user may *write* (io: "input"): durations as a number
 * of seconds or a string with a unit, sections that may be left empty, defaults and a
 * description on every key.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, {
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'object' && zodSchema !== configSchema) {
        // the loader reads a section left empty (`thresholds:` over commented-out lines) as not set,
        // so editors must not flag it; anyOf rather than a type list keeps strict validators happy
        const objectSchema = { ...jsonSchema };
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        jsonSchema.anyOf = [objectSchema, { type: 'null' }];
        return;
      }
      const bounds = durationBounds.get(zodSchema);
      if (bounds === undefined) return;
      // zod can only say `number | string` for the transform's input; say which numbers and strings
      delete jsonSchema.type;
      jsonSchema.anyOf = [
        { type: 'number', minimum: bounds.minSeconds, maximum: bounds.maxSeconds },
        { type: 'string', pattern: DURATION_STRING_PATTERN },
      ];
    },
  }) as Record<string, unknown>;
}
