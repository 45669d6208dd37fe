import { z } from 'zod';
import { durationSeconds } from './schema-parts.js';

/** The cross-layer diagnosis of the API phase (issue 8): one attribution window per GET endpoint (or per endpoint diagnosis.endpoints names). */
export const diagnosisSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .meta({ description: 'Drive each GET endpoint alone and attribute its time to queries and cache commands (default: on for the demo, off otherwise; also --diagnose)' }),
    secondsPerEndpoint: durationSeconds(0.2, 60).prefault(2).meta({ description: 'Length of each endpoint window' }),
    requestsPerEndpoint: z.number().int().min(1).max(100_000).default(300).meta({ description: 'Most requests sent in one endpoint window' }),
    concurrency: z.number().int().min(1).max(64).default(2).meta({ description: 'Concurrent users of each window (closed model)' }),
    scalingConcurrency: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(8)
      .meta({ description: 'Users of a second window of each endpoint: latency growth against what saturated first (database connections, a container CPU limit, the host, the generator; 0: off)' }),
    controlSeconds: durationSeconds(0.2, 60).prefault(2).meta({ description: 'Length of the control window (no traffic of ours): the background activity' }),
    topQueries: z.number().int().min(1).max(50).default(5).meta({ description: 'Statements kept per endpoint' }),
    containers: z
      .array(z.string().min(1))
      .optional()
      .meta({
        description:
          'The containers that serve the API, by name or compose service (globs with "*"): only these can be named as an endpoint\'s cause (default: any container our traffic moved)',
      }),
    endpoints: z
      .array(z.string().min(1))
      .optional()
      .meta({
        description:
          'Names of the api.endpoints to drive, in order (default: every GET endpoint). Naming a POST, PUT, PATCH or DELETE endpoint drives it too, with its body: only do that where repeating it is safe',
      }),
  })
  .meta({ description: 'Cross-layer diagnosis: attribute each endpoint\'s time to the queries and cache commands its traffic drives.' });
