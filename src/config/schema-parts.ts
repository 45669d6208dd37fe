import { z } from 'zod';
import ms from 'ms';

/** Schema pieces shared by the sections of the config schema (kept apart to avoid import cycles). */

const DURATION_EXPECTATION = 'expected a duration such as 5, "5s", "500ms" or "1m"';

/**
 * Bounds of every schema built by durationSeconds(), so that json-schema.ts can describe the
 * accepted input (a number of seconds or a string with a unit) instead of zod's bare `number | string`.
 */
export const durationBounds = z.registry<{ minSeconds: number; maxSeconds: number }>();

/**
 * A duration in seconds: a number of seconds, or a string with a unit ("500ms", "5s", "2m").
 * Bounded so that a typo ("5000s") cannot make a cron run hang for hours.
 */
export function durationSeconds(min: number, max: number) {
  const schema = z.union([z.number(), z.string()], { error: DURATION_EXPECTATION }).transform((raw, ctx) => {
    const seconds = typeof raw === 'number' ? raw : parseDuration(raw);
    if (seconds === null || !Number.isFinite(seconds)) {
      ctx.addIssue({ code: 'custom', message: DURATION_EXPECTATION });
      return z.NEVER;
    }
    if (seconds < min || seconds > max) {
      ctx.addIssue({ code: 'custom', message: `expected a duration between ${min} s and ${max} s` });
      return z.NEVER;
    }
    return seconds;
  });
  durationBounds.add(schema, { minSeconds: min, maxSeconds: max });
  return schema;
}

function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  // ms() accepts "5s", "500ms", "2m", "1h"; it returns undefined for anything else
  const millis = /^\d+(\.\d+)?\s*[a-z]+$/i.test(trimmed) ? ms(trimmed as ms.StringValue) : undefined;
  return typeof millis === 'number' ? millis / 1000 : null;
}
