import { z } from 'zod';
import { THRESHOLD_DEFINITIONS, type Thresholds } from '../rules/thresholds.js';
import { durationSeconds } from './schema-parts.js';
import { apiSchema, loadSchema } from './api-schema.js';
import { databaseSchema, pgbouncerSchema } from './database-schema.js';
import { redisSchema } from './redis-schema.js';
import { dockerSchema } from './docker-schema.js';
import { baselineSchema, keepSchema, pushgatewaySchema } from './baseline-schema.js';
import { diagnosisSchema } from './diagnosis-schema.js';
import { REPORT_FORMATS } from '../reporters/formats.js';

export { durationBounds, durationSeconds } from './schema-parts.js';
export const SEVERITY_LEVELS = ['critical', 'warning', 'info', 'none'] as const;
/** the report formats: the reporter registry's names */
export const KNOWN_FORMATS = REPORT_FORMATS;

type ThresholdEntrySchema<K extends keyof Thresholds> = z.ZodOptional<
  z.ZodObject<{ [L in keyof Thresholds[K]]: z.ZodOptional<z.ZodNumber> }, z.core.$strict>
>;
type ThresholdsShape = { [K in keyof Thresholds]: ThresholdEntrySchema<K> };

/** thresholds: the keys of THRESHOLD_DEFINITIONS, every value optional, unknown keys rejected */
const thresholdsShape = Object.fromEntries(
  Object.entries(THRESHOLD_DEFINITIONS).map(([key, definition]) => {
    const levelSchemas = Object.fromEntries(
      Object.entries(definition.levels).map(([level, defaultValue]) => [
        level,
        z.number().min(0).optional().meta({ description: `${level} threshold (default ${defaultValue})`, default: defaultValue }),
      ]),
    );
    return [key, z.strictObject(levelSchemas).optional().meta({ description: definition.description })];
  }),
) as unknown as ThresholdsShape;

export const configSchema = z
  .strictObject({
    /** lets editors find the JSON Schema; ignored by the tool */
    $schema: z.string().optional().meta({ description: 'Where editors find this JSON Schema; ignored by perf-analyze.' }),
    outputDir: z.string().min(1).default('reports').meta({ description: 'Directory the report files are written to.' }),
    formats: z
      .array(z.enum(KNOWN_FORMATS))
      .min(1)
      .default(['json', 'text'])
      .meta({ description: 'Report formats written to outputDir.' }),
    failOn: z
      .enum(SEVERITY_LEVELS)
      .default('critical')
      .meta({ description: 'Exit with code 1 when a finding has this severity or a higher one ("none": never).' }),
    quiet: z.boolean().default(false).meta({ description: 'Print nothing but errors (for cron).' }),
    color: z.boolean().default(true).meta({ description: 'Colour the terminal output (the NO_COLOR environment variable turns it off).' }),
    json: z.boolean().default(false).meta({ description: 'Print the report JSON to stdout and nothing else on stdout.' }),
    system: z
      .strictObject({
        // prefault, not default: the default then also shows in the JSON Schema (zod drops defaults of transforms there)
        sampleSeconds: durationSeconds(0.2, 300)
          .prefault(5)
          .meta({
            description: 'How long the system phase samples CPU, disk and network: seconds, or a string such as "5s", "500ms", "1m".',
          }),
      })
      // prefault: the empty object goes through the schema, so the inner defaults apply (one source of truth)
      .prefault({})
      .meta({ description: 'The host (system resources) phase.' }),
    docker: dockerSchema.prefault({}).meta({ description: 'The Docker phase: every container of a Docker engine.' }),
    api: apiSchema.prefault({}).meta({ description: 'The HTTP API phase: endpoint timings and the login flow.' }),
    load: loadSchema.prefault({}).meta({ description: 'The load test of the API phase.' }),
    diagnosis: diagnosisSchema.prefault({}).meta({ description: 'Cross-layer diagnosis: each endpoint\'s time attributed to queries and cache commands.' }),
    database: databaseSchema.prefault({}).meta({ description: 'PostgreSQL: the database phase.' }),
    pgbouncer: pgbouncerSchema.prefault({}).meta({ description: "PgBouncer's admin console." }),
    redis: redisSchema.prefault({}).meta({ description: 'The Redis (cache) part of the database phase.' }),
    baseline: baselineSchema.prefault({}).meta({ description: 'Comparison with an earlier report: regressions judged against noise.' }),
    keep: keepSchema,
    pushgateway: pushgatewaySchema,
    thresholds: z
      .strictObject(thresholdsShape)
      .default({})
      .meta({ description: 'Overrides of the default thresholds of the rules; give only the values you change.' }),
  })
  .superRefine((config, context) => {
    // diagnosis.endpoints names api.endpoints: checked here so a typo is a configuration error (exit 2), not a failed phase
    const names = config.api.endpoints.map((endpoint) => endpoint.name ?? `${endpoint.method} ${endpoint.path}`);
    (config.diagnosis.endpoints ?? []).forEach((name, index) => {
      if (names.includes(name)) return;
      context.addIssue({
        code: 'custom',
        path: ['diagnosis', 'endpoints', index],
        input: name,
        message: names.length > 0 ? `the name of one of api.endpoints: ${names.map((known) => `"${known}"`).join(', ')}` : 'an endpoint of api.endpoints, but api.endpoints is empty',
      });
    });
  })
  .meta({ title: 'perf-analyze configuration' });

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
