import { z } from 'zod';
import { durationSeconds } from './schema-parts.js';

/** An http(s) URL; anything else (ftp:, a bare host) is a configuration error. */
export const httpUrl = z
  .string()
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// URL such as http://127.0.0.1:8000');

const endpointThresholds = z
  .strictObject({
    warningMs: z.number().positive().optional().meta({ description: 'p95 above this is a warning (default by path, SPEC-THRESHOLDS.md)' }),
    criticalMs: z.number().positive().optional().meta({ description: 'p95 above this is critical (default by path, SPEC-THRESHOLDS.md)' }),
  })
  .meta({ description: 'Per-endpoint latency thresholds (p95); defaults come from the path: /health, login, profile, dashboard, other.' });

export const endpointSchema = z.strictObject({
  name: z.string().min(1).optional().meta({ description: 'Name in the report (default "METHOD path")' }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
  path: z.string().regex(/^\//, 'expected a path starting with "/"').meta({ description: 'Path under api.baseUrl, e.g. /api/v1/user/profile' }),
  headers: z.record(z.string(), z.string()).default({}).meta({ description: 'Extra request headers; values may use ${ENV_VAR}' }),
  body: z.unknown().optional().meta({ description: 'Request body: a JSON value, or a string sent as is; may use ${ENV_VAR}' }),
  expectedStatus: z.union([z.number().int(), z.array(z.number().int()).min(1)]).default(200),
  auth: z.boolean().default(false).meta({ description: 'Send the token from api.login with this request' }),
  thresholds: endpointThresholds.optional(),
});

export const loginSchema = z.strictObject({
  path: z.string().regex(/^\//, 'expected a path starting with "/"').default('/api/v1/auth/jwt/login'),
  method: z.enum(['POST', 'PUT']).default('POST'),
  /** credentials come from the environment: ${VAR}; never written to any output */
  body: z.unknown().meta({ description: 'Login request body, e.g. {"username": "${PERF_USER}", "password": "${PERF_PASSWORD}"}' }),
  contentType: z.enum(['json', 'form']).default('json').meta({ description: 'json, or form (application/x-www-form-urlencoded)' }),
  tokenPath: z.string().default('access_token').meta({ description: 'Where the token is in the JSON response (dotted path)' }),
  tokenHeader: z.string().default('Authorization').meta({ description: 'Header the token is sent in' }),
  tokenScheme: z.string().default('Bearer').meta({ description: 'Prefix before the token in that header ("" for none)' }),
  bcryptCost: z.number().int().min(4).max(31).optional().meta({ description: 'The server\'s bcrypt cost factor, when known' }),
  samples: z.number().int().min(1).max(1000).default(10).meta({ description: 'Sequential timed logins (each followed by one authenticated request)' }),
  concurrency: z.array(z.number().int().min(1).max(64)).default([1, 2, 4]).meta({ description: 'Concurrent logins per level, to find where password hashing saturates' }),
  loginsPerLevel: z.number().int().min(1).max(1000).default(8).meta({ description: 'Logins at each concurrency level' }),
});

export const apiSchema = z
  .strictObject({
    baseUrl: httpUrl.optional().meta({ description: 'Base URL of the API (also --api-url, PERF_API_URL)' }),
    endpoints: z.array(endpointSchema).default([]),
    login: loginSchema.optional(),
    samples: z.number().int().min(1).max(10_000).default(20).meta({ description: 'Sequential timed requests per endpoint' }),
    warmup: z.number().int().min(0).max(1000).default(3).meta({ description: 'Untimed requests per endpoint first' }),
    timeoutSeconds: durationSeconds(0.1, 300).prefault(10).meta({ description: 'Timeout of every request' }),
    maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024).meta({ description: 'Response bodies larger than this are cut off and reported' }),
    insecure: z.boolean().default(false).meta({ description: 'Accept self-signed TLS certificates' }),
  })
  .meta({ description: 'The HTTP API phase.' });

export const loadSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({ description: 'Run the load test (default: on for the demo stack, off otherwise); --no-load turns it off' }),
    concurrency: z.array(z.number().int().min(1).max(10_000)).min(1).default([1, 5, 10, 25, 50, 100]).meta({ description: 'Closed-model ladder: concurrent users per level' }),
    rates: z.array(z.number().positive().max(1_000_000)).default([]).meta({ description: 'Open-model fixed request rates (requests/s), each run for durationSeconds' }),
    durationSeconds: durationSeconds(0.5, 3600).prefault(10).meta({ description: 'Duration of each level or rate' }),
    maxTotalSeconds: durationSeconds(1, 24 * 3600).prefault(180).meta({ description: 'Cap on the whole load test' }),
    maxRequests: z.number().int().positive().default(5_000_000).meta({ description: 'Cap on requests across the whole load test' }),
    endpoints: z.array(z.string()).optional().meta({ description: 'Names of the endpoints to load (default: every GET endpoint)' }),
    warmupSeconds: durationSeconds(0, 60).prefault(1).meta({ description: 'Closed model: requests sent before each level is measured (connections opened, caches warm)' }),
    timeoutSeconds: durationSeconds(0.1, 300).prefault(10).meta({ description: 'Timeout of each load request (connect, headers, gaps in the body)' }),
    connections: z.number().int().min(1).max(10_000).default(100).meta({ description: 'Open model: most connections opened at once (one request in flight on each)' }),
    thinkTimeSeconds: z
      .number()
      .min(0)
      .max(3600)
      .optional()
      .meta({
        description:
          "A real user's pause between requests, seconds: converts the sustainable request rate into concurrent users by Little's law (users = rate x (think time + response time)); without it capacity is a request rate only",
      }),
    knee: z
      .strictObject({
        p95Ms: z.number().positive().default(500).meta({ description: 'A level is within capacity while its p95 stays at or below this (spec KPI: API p95 < 500 ms)' }),
        maxErrorPercent: z.number().min(0).max(100).default(1).meta({ description: 'and its errors stay below this % (errors < 1 %: requests that fail are not capacity)' }),
        minGrowthPercent: z.number().min(0).default(10).meta({ description: 'and its throughput grows by at least this % over the previous level' }),
      })
      .prefault({})
      .meta({ description: 'Criteria of the capacity (knee) search over the concurrency ladder' }),
    generator: z
      .strictObject({
        cpuPercent: z.number().positive().max(100).default(90).meta({ description: 'The generator counts as saturated at this CPU % of one core (Node runs it on one thread)' }),
        eventLoopDelayMs: z.number().positive().default(50).meta({ description: 'or at this event-loop delay p99 (ms)' }),
      })
      .prefault({})
      .meta({ description: 'When the load generator itself is the bottleneck' }),
  })
  .meta({ description: 'The load test of the API phase.' });
