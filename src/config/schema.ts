import { z } from 'zod';
import ms from 'ms';
import { DEFAULT_THRESHOLDS } from '../rules/thresholds.js';

export const SEVERITY_LEVELS = ['critical', 'warning', 'info', 'none'] as const;
/** formats built so far; later issues register md, junit, prom, html */
export const KNOWN_FORMATS = ['json', 'text'] as const;

/**
 * A duration in seconds: a number of seconds, or a string with a unit ("500ms", "5s", "2m").
 * Bounded so that a typo ("5000s") cannot make a cron run hang for hours.
 */
export function durationSeconds(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((raw, ctx) => {
    const seconds = typeof raw === 'number' ? raw : parseDuration(raw);
    if (seconds === null || !Number.isFinite(seconds)) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as 5, "5s", "500ms" or "1m"` });
      return z.NEVER;
    }
    if (seconds < min || seconds > max) {
      ctx.addIssue({ code: 'custom', message: `expected a duration between ${min} s and ${max} s` });
      return z.NEVER;
    }
    return seconds;
  });
}

function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  // ms() accepts "5s", "500ms", "2m", "1h"; it returns undefined for anything else
  const millis = /^\d+(\.\d+)?\s*[a-z]+$/i.test(trimmed) ? ms(trimmed as ms.StringValue) : undefined;
  return typeof millis === 'number' ? millis / 1000 : null;
}

/** thresholds: the same keys as DEFAULT_THRESHOLDS, every value optional, unknown keys rejected */
const thresholdsSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(DEFAULT_THRESHOLDS).map(([key, levels]) => [
      key,
      z.strictObject(Object.fromEntries(Object.keys(levels).map((level) => [level, z.number().min(0)]))).partial().optional(),
    ]),
  ),
);

export const configSchema = z.strictObject({
  /** lets editors find the JSON Schema; ignored by the tool */
  $schema: z.string().optional(),
  outputDir: z.string().min(1).default('reports'),
  formats: z.array(z.enum(KNOWN_FORMATS)).min(1).default(['json', 'text']),
  failOn: z.enum(SEVERITY_LEVELS).default('critical'),
  quiet: z.boolean().default(false),
  color: z.boolean().default(true),
  system: z
    .strictObject({
      sampleSeconds: durationSeconds(0.2, 300).default(5),
    })
    .default({ sampleSeconds: 5 }),
  thresholds: thresholdsSchema.default({}),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
