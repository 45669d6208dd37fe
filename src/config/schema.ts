import { z } from 'zod';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../rules/thresholds.js';
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
/** formats built so far; later issues register md, junit, prom, html */
/** the report formats: the reporter registry's names */
export const KNOWN_FORMATS = REPORT_FORMATS;

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
  connections: '% of PostgreSQL max_connections minus reserved slots in use',
  averageQueryMs: 'mean ms per statement (pg_stat_statements)',
  slowQueriesPerHour: 'calls per hour of statements with a mean above 1000 ms',
  statementMeanMs: "a statement's mean ms (counted from minCalls calls)",
  cacheMissPercent: '% of table or index block reads missing the cache',
  seqScanPercent: '% of scans that are sequential on a table with at least minRows live rows (and at least minWorkloadScans sequential scans that are a workload)',
  statementTimeShare: "one statement's % of the database's statement time (counted from minCalls calls), raised when its plan has a costly node",
  unusedIndexBytes: 'size in bytes from which a never-scanned index is reported',
  idleInTransactionSeconds: 'seconds a session has been idle in transaction',
  longQuerySeconds: 'seconds a query has been running',
  transactionSeconds: 'seconds a transaction has been open',
  blockedQueries: 'sessions waiting on a lock held by another session',
  deadTuples: 'dead tuples of a table (also above deadPercent of its live tuples)',
  vacuumAgeDays: 'days since a changed table was last vacuumed',
  tableBloatBytes: 'estimated wasted bytes of a table (bloat)',
  sequencePercent: "% of its column type's maximum a sequence has reached",
  xidAge: 'transaction ID age of a database',
  rollbackPercent: 'rollbacks as % of transactions during the window',
  requestedCheckpointPercent: 'requested checkpoints as % of all checkpoints',
  poolClientsWaiting: 'clients waiting in a PgBouncer pool',
  poolMaxWaitSeconds: 'seconds the oldest client of a PgBouncer pool has waited',
  poolUtilisation: "% of a PgBouncer pool's size in use",
  redisMissRatePercent: 'Redis keyspace misses as % of lookups during the window (100 - hit rate)',
  redisPingP99Ms: 'Redis PING round trip p99, ms',
  redisPingFailurePercent: 'failed Redis PINGs as % of those sent',
  redisMemoryPercent: 'Redis used_memory as % of maxmemory',
  redisFragmentationRatio: 'Redis mem_fragmentation_ratio (with redisFragmentationBytes wasted)',
  redisFragmentationBytes: 'Redis RSS bytes above used_memory',
  redisEvictedKeys: 'Redis keys evicted during the window',
  redisEvictedSinceStart: 'Redis keys evicted since the server started when none were evicted in the window (a warning when it started at most recentUptimeSeconds ago, else info)',
  redisRejectedConnections: 'Redis connections rejected during the window',
  redisClientsPercent: 'Redis connected_clients as % of maxclients',
  redisSlowlogMs: 'Redis slowlog entry duration, ms',
  redisServerLatencyUsec: 'Redis average server-side µs per call of the application commands',
  redisBigStringBytes: 'Redis string value size, bytes',
  redisBigHashFields: 'Redis hash fields',
  redisBigSetMembers: 'Redis set members',
  redisBigZsetMembers: 'Redis sorted set members',
  redisBigListElements: 'Redis list elements',
  redisQueueBacklog: 'jobs waiting in one worker queue',
  redisQueueGrowthPerMin: 'worker queue backlog growth, jobs per minute',
  apiHealthMs: 'p95 of /health endpoints, ms',
  apiLoginMs: 'p95 of the login endpoint, ms',
  apiProfileMs: 'p95 of profile endpoints, ms',
  apiDashboardMs: 'p95 of dashboard endpoints, ms',
  apiOtherMs: 'p95 of any other endpoint, ms',
  apiErrorRatePercent: '% of requests answered 5xx or not at all',
  authEndToEndMs: 'login + first authenticated request, p95, ms',
  loginHashSharePercent: 'password hashing as % of the login p50',
  tokenLifetimeSeconds: 'access-token lifetime, s',
  tokenSizeBytes: 'access-token size, bytes',
  loadConcurrentUsers: 'concurrent users sustained by the load test (a finding BELOW this)',
  loadThroughputRps: 'requests/s sustained by the load test (a finding BELOW this)',
  loadErrorPercent: '% of load-test requests that failed',
  loadP95Ms: 'p95 latency under load, ms',
  loadLatencyGrowth: 'p95 at the top of the concurrency ladder over p95 at its first level',
  loadCoordinatedOmission: 'open model: corrected p99 over as-sent p99',
  containerCpu: "% of a container's CPU limit in use (100 % = the limit)",
  containerMemory: "% of a container's memory limit in its working set",
  containerThrottled: '% of CPU periods in which a container was throttled',
  containerRestarts: 'restarts of a container during the window',
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
