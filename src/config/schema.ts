import { z } from 'zod';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../rules/thresholds.js';
import { durationSeconds } from './schema-parts.js';
import { apiSchema, loadSchema } from './api-schema.js';
import { baselineSchema, keepSchema, pushgatewaySchema } from './baseline-schema.js';

export { durationBounds, durationSeconds } from './schema-parts.js';
export const SEVERITY_LEVELS = ['critical', 'warning', 'info', 'none'] as const;
/** formats built so far; later issues register md, junit, prom, html */
export const KNOWN_FORMATS = ['json', 'text', 'md', 'junit', 'prom'] as const;

/** What each threshold entry measures, for editors (JSON Schema) and the starter file. */
export const THRESHOLD_DESCRIPTIONS: Partial<Record<keyof Thresholds, string>> = {
  cpu: '% of all cores busy',
  iowait: '% of CPU time waiting on I/O',
  steal: '% of CPU time stolen by the hypervisor',
  loadPerCore: '5-minute load average per core',
  memory: '% of memory used (total - available)',
  swapPagesPerSec: 'pages swapped in + out per second during the window',
  oomKills: 'OOM kills during the window',
  pressureSomeAvg10: 'PSI "some avg10" %, per resource',
  disk: "% of a filesystem's space used",
  inodes: "% of a filesystem's inodes used",
  diskAwaitMs: 'ms per completed I/O',
  diskUtilisation: '% of the window a device had I/O in flight',
  networkErrorPercent: 'network errors or drops as % of packets',
  tcpRetransmitPercent: 'retransmitted TCP segments as % of sent',
  fileHandles: "% of the kernel's file handle limit in use",
};

type ThresholdEntrySchema<K extends keyof Thresholds> = z.ZodOptional<
  z.ZodObject<{ [L in keyof Thresholds[K]]: z.ZodOptional<z.ZodNumber> }, z.core.$strict>
>;
type ThresholdsShape = { [K in keyof Thresholds]: ThresholdEntrySchema<K> };

/** thresholds: the same keys as DEFAULT_THRESHOLDS, every value optional, unknown keys rejected */
const thresholdsShape = Object.fromEntries(
  Object.entries(DEFAULT_THRESHOLDS).map(([key, levels]) => {
    const levelSchemas = Object.fromEntries(
      Object.entries(levels).map(([level, defaultValue]) => [
        level,
        z.number().min(0).optional().meta({ description: `${level} threshold (default ${defaultValue})`, default: defaultValue }),
      ]),
    );
    const what = THRESHOLD_DESCRIPTIONS[key as keyof Thresholds] ?? `thresholds of the ${key} rule`;
    return [key, z.strictObject(levelSchemas).optional().meta({ description: what })];
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
    api: apiSchema.prefault({}).meta({ description: 'The HTTP API phase: endpoint timings and the login flow.' }),
    load: loadSchema.prefault({}).meta({ description: 'The load test of the API phase.' }),
    baseline: baselineSchema.prefault({}).meta({ description: 'Comparison with an earlier report: regressions judged against noise.' }),
    keep: keepSchema,
    pushgateway: pushgatewaySchema,
    thresholds: z
      .strictObject(thresholdsShape)
      .default({})
      .meta({ description: 'Overrides of the default thresholds of the rules; give only the values you change.' }),
  })
  .meta({ title: 'perf-analyze configuration' });

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
