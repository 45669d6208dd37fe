import { z } from 'zod';

/**
 * Default noise allowances of the baseline comparison (docs/baselines.md). The specification
 * has no table for them; they are chosen so that back-to-back runs of an unchanged host stay
 * quiet while a real shift is still seen. No benchmark measures the spread yet: the demo-stack
 * test (tests/baseline/demo-regression.test.ts: five unchanged pairs quiet, 100 ms on one
 * endpoint found there only) checks them on the machine that runs the tests:
 * - relativePercent 25: a 5 s window of a busy host moves its rates by a tenth to a fifth;
 * - "%" 10 percentage points: CPU and I/O utilisation of 5 s windows move by several points
 *   between runs; a disk or memory share moving by 10 points overnight is worth a look;
 * - "ms" 2: below the resolution that matters for disk await or an API percentile on a LAN;
 * - "load" 1, "load/core" 0.25: load averages move with whatever ran in the last minutes;
 * - percentiles: confidenceZ 3 (about 99.9 % one-sided) and at least 10 % of the old value.
 */
export const DEFAULT_ABSOLUTE_TOLERANCE: Readonly<Record<string, number>> = {
  '%': 10,
  ms: 2,
  load: 1,
  'load/core': 0.25,
  'pages/s': 10,
  count: 0,
};

/**
 * Metrics the comparison leaves out by default: per-core busy (the scheduler moves work between
 * cores), 1-minute load, the load generator's own CPU and event loop (the profiler, not the
 * target), and the Docker service sums (their containers are compared one by one).
 */
export const DEFAULT_BASELINE_IGNORE = ['system.cpu.perCore*', 'system.load.load1*', 'load.*.generator.*', 'docker.services*'];

export const baselineSchema = z.strictObject({
  against: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Compare with this earlier report: "latest" (the newest earlier report in outputDir) or a file path (--baseline).' }),
  failOnRegression: z.boolean().default(false).meta({ description: 'Exit 1 when any metric regressed, whatever --fail-on says (--fail-on-regression).' }),
  severity: z.enum(['critical', 'warning', 'info']).default('warning').meta({ description: 'Severity of a regression finding; it counts towards --fail-on.' }),
  relativePercent: z
    .number()
    .min(0)
    .default(25)
    .meta({ description: 'Rates, utilisations, gauges: a change smaller than this % of the old value is noise.' }),
  absolute: z
    .record(z.string(), z.number().min(0))
    .default({})
    .meta({ description: `Per unit: a change smaller than this is noise. Merged over the defaults ${JSON.stringify(DEFAULT_ABSOLUTE_TOLERANCE)}.` }),
  confidenceZ: z
    .number()
    .positive()
    .default(3)
    .meta({ description: 'Latency percentiles: how many standard errors of the difference (from the sample counts) before a change counts.' }),
  percentileMinChangePercent: z
    .number()
    .min(0)
    .default(10)
    .meta({ description: 'Latency percentiles: the smallest change that matters, as % of the old value.' }),
  ignore: z
    .array(z.string().min(1))
    .default([...DEFAULT_BASELINE_IGNORE])
    .meta({ description: 'Metric ids left out of the comparison; * matches anything (e.g. "system.network*").' }),
});

export const keepSchema = z.number().int().min(1).optional().meta({ description: 'Keep only the newest N reports in outputDir (all their formats); older ones are deleted (--keep).' });

export const pushgatewaySchema = z
  .string()
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// URL such as http://127.0.0.1:9091')
  .optional()
  .meta({ description: 'Push the Prometheus metrics to this Pushgateway after the run (--pushgateway).' });
