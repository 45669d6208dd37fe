import { writeFile as writeFileToDisk } from 'node:fs/promises';
import { THRESHOLD_DEFINITIONS, THRESHOLD_PARTS, type ThresholdPart } from '../rules/thresholds.js';

/** The file `perf-analyze init` writes when given no path. */
export const DEFAULT_CONFIG_FILE_NAME = 'perf-analyze.yaml';

/**
 * The commented starter file. Every value here is the default (a test loads it back and
 * compares with the defaults), so writing it changes nothing until the user edits it.
 * The thresholds are commented out (a user's file then follows later defaults), each with its
 * default values, description and source from THRESHOLD_DEFINITIONS.
 */
export function starterConfigYaml(): string {
  return `# yaml-language-server: $schema=./node_modules/perf-analyze/schema/config.schema.json
# perf-analyze configuration. Every value below is the default; change what you need.
# Precedence: defaults < environment (NO_COLOR) < this file < command-line flags.
# perf-analyze reads ./${DEFAULT_CONFIG_FILE_NAME} by itself; elsewhere use --config FILE (or PERF_ANALYZE_CONFIG).

# Where editors find the JSON Schema of this file (completion and help); ignored by perf-analyze.
$schema: ./node_modules/perf-analyze/schema/config.schema.json

# Directory the report files are written to (--output-dir).
outputDir: reports

# Report formats written to outputDir: json, text, md, junit, prom, html (--format json,text,md).
formats: [json, text]

# Exit with code 1 when a finding is at least this severe: critical, warning, info or none (--fail-on).
failOn: critical

# For cron: print only errors and the report path (--quiet).
quiet: false

# Colour the terminal output; the NO_COLOR environment variable turns it off (--no-color).
color: true

# Print the report JSON to stdout and nothing else on stdout (--json).
json: false

# The host (system resources) phase.
system:
  # How long CPU, disk and network are sampled: seconds, or "500ms", "5s", "1m"; 0.2 s to 300 s (--sample-seconds).
  sampleSeconds: 5

# The Docker phase: CPU, memory, throttling, restarts and health of every container, by compose
# service, and TCP connect latency to the services. It runs when a host is given here, with
# --docker-host or DOCKER_HOST, or when /var/run/docker.sock exists. Its window is system.sampleSeconds.
docker:
  # Set false to skip the phase even when the socket exists.
  # enabled: true
  # The engine, a unix socket path or tcp:// URL (--docker-host, DOCKER_HOST); default /var/run/docker.sock.
  # host: /var/run/docker.sock
  # Measure only containers matching a name or a label; empty: all.
  include:
    # Container names; "*" matches any run of characters, e.g. ["shop-*"].
    names: []
    # Labels as "key" or "key=value", e.g. ["com.docker.compose.project=shop"].
    labels: []
  # Leave out containers matching a name or a label.
  exclude:
    # e.g. ["buildkit*"]
    names: []
    # e.g. ["perf-analyze.ignore"]
    labels: []
  # Stats and inspect calls in flight at once.
  concurrency: 100
  # Timeout of every call to the engine.
  timeoutSeconds: 10
  # TCP connects per service (configured services and published container ports); 0 turns it off.
  latencySamples: 20
  # A container that exited with an error within this many hours is reported.
  recentExitHours: 24

# The HTTP API phase: endpoint timings and the login flow. It runs when a base URL is given
# here, with --api-url or PERF_API_URL. Credentials come from the environment as \${VAR}.
api:
  # Base URL of the API (--api-url, PERF_API_URL); only this host is ever requested.
  # baseUrl: http://127.0.0.1:8000
  # Endpoints to time; each: name, method, path, headers, body, expectedStatus, auth (send the login token), thresholds.
  # e.g. [{ path: /health }, { path: /api/v1/user/profile, auth: true, thresholds: { warningMs: 800, criticalMs: 1500 } }]
  endpoints: []
  # The login request whose token "auth: true" endpoints send.
  # login:
  #   path: /api/v1/auth/jwt/login
  #   method: POST
  #   body: { username: "\${PERF_USER}", password: "\${PERF_PASSWORD}" }
  #   contentType: json          # or form
  #   tokenPath: access_token    # where the token is in the JSON response
  #   tokenHeader: Authorization
  #   tokenScheme: Bearer
  #   bcryptCost: 12             # the server's bcrypt cost factor, when known
  #   samples: 10                # sequential timed logins, each followed by one authenticated request
  #   concurrency: [1, 2, 4]     # concurrent logins per level (where does hashing saturate?)
  #   loginsPerLevel: 8          # logins at each concurrency level
  # Sequential timed requests per endpoint.
  samples: 20
  # Untimed requests per endpoint before timing.
  warmup: 3
  # Timeout of every request.
  timeoutSeconds: 10
  # Response bodies larger than this are cut off and reported.
  maxBodyBytes: 10485760
  # Accept self-signed TLS certificates.
  insecure: false

# The load test of the API phase (closed-model ladder, optional open-model rates), within the caps below.
load:
  # Run it (default: on for the demo stack, off otherwise; --no-load turns it off).
  # enabled: true
  # Concurrent users per level of the closed-model ladder.
  concurrency: [1, 5, 10, 25, 50, 100]
  # Open-model fixed request rates (requests/s).
  rates: []
  # Duration of each level or rate.
  durationSeconds: 10
  # Cap on the whole load test.
  maxTotalSeconds: 180
  # Cap on requests across the whole load test.
  maxRequests: 5000000
  # Names of the endpoints to load (default: every GET endpoint).
  # endpoints: []
  # Closed model: requests sent before each level is measured (connections opened, caches warm).
  warmupSeconds: 1
  # Timeout of each load request (connect, headers, gaps in the body).
  timeoutSeconds: 10
  # Open model: most connections opened at once (one request in flight on each).
  connections: 100
  # A real user's pause between requests (s): turns the sustainable request rate into concurrent users
  # by Little's law (users = rate x (think time + response time)); without it capacity is a rate only.
  # thinkTimeSeconds: 5
  # Capacity (knee): the highest level whose p95 stays at or below p95Ms (spec KPI), whose errors
  # stay below maxErrorPercent and whose throughput still grows by minGrowthPercent over the previous level.
  knee:
    # p95 limit in ms (spec KPI: API p95 < 500 ms).
    p95Ms: 500
    # Errors must stay below this % (failed requests are not capacity).
    maxErrorPercent: 1
    # Throughput must grow by at least this % per level.
    minGrowthPercent: 10
  # When the load generator itself counts as the bottleneck.
  generator:
    # CPU % of one core (Node runs the generator on one thread).
    cpuPercent: 90
    # Event-loop delay p99 in ms.
    eventLoopDelayMs: 50

# Cross-layer diagnosis: each GET endpoint driven alone, its database, cache, container and host CPU
# deltas attributed to it, and the root cause of each slow one (a query, a missing index, the cache,
# an N+1 loop, the connection pool, a container at its CPU limit, the host's CPU, or "unknown").
diagnosis:
  # Run it (default: on for the demo stack, off otherwise; also --diagnose). Needs api.baseUrl and database.url and/or redis.url.
  enabled: false
  # Length of each endpoint window.
  secondsPerEndpoint: 2
  # Most requests in one endpoint window.
  requestsPerEndpoint: 300
  # Concurrent users of each window (closed model).
  concurrency: 2
  # Users of a second window of each endpoint: latency growth against what saturated first (0: off).
  scalingConcurrency: 8
  # Control window with no traffic of ours: the background activity.
  controlSeconds: 2
  # Statements kept per endpoint.
  topQueries: 5
  # The containers that serve the API, by name or compose service (globs with "*"): only these can be
  # named as an endpoint's cause (default: any container our traffic moved).
  # containers: [api, "shop-web*"]
  # Names of the api.endpoints to drive (default: every GET endpoint), e.g. [login, "GET /api/v1/user/profile"].
  # A POST, PUT, PATCH or DELETE endpoint named there is sent with its body: only name those safe to repeat.

# PostgreSQL: the database phase. It runs when a URL is given here, with --database-url or DATABASE_URL.
# Sessions are read-only, with statement_timeout, lock_timeout and application_name 'perf-analyze'.
database:
  # PostgreSQL URL (--database-url, DATABASE_URL); its password never appears in any output.
  # url: postgres://perf@127.0.0.1:5432/shop
  # More databases, each { name, url }, e.g. [{ name: billing, url: "postgres://perf@127.0.0.1:5432/billing" }]
  databases: []
  # Window of the pg_stat_database deltas (default: system.sampleSeconds).
  # sampleSeconds: 5
  # SELECT 1 round trips timed per server.
  latencySamples: 20
  # statement_timeout of the profiler's sessions (ms).
  statementTimeoutMs: 5000
  # lock_timeout of the profiler's sessions (ms).
  lockTimeoutMs: 1000
  # Connection timeout (ms).
  connectTimeoutMs: 5000
  # Statements in each top list (by total time, mean time, calls).
  topStatements: 10
  # Top statements by total time whose generic plans are read (EXPLAIN, never executed) for the index advice; 0 = none.
  planStatements: 20
  # EXPLAIN ANALYZE the planned SELECTs without parameters: this executes them (read-only, rolled back). Off by default.
  explainAnalyze: false

# PgBouncer's admin console (database "pgbouncer"; the user must be in admin_users or stats_users).
pgbouncer:
  # Admin console URL (--pgbouncer-url).
  # url: postgres://pgbouncer@127.0.0.1:6432/pgbouncer

# Redis, the cache (part of the database phase). It runs when a URL is given here, with --redis-url or REDIS_URL.
redis:
  # A URL redis://[user:password@]host:port[/db], or rediss:// for TLS (--redis-url, REDIS_URL). Prefer REDIS_URL for the password.
  # url: redis://127.0.0.1:6379/0
  # Worker queues: BullMQ queue names (bull:<name>:wait...), Celery queues (a list named after the queue), or list / sorted set / stream keys.
  queues: []
  # Window over which hit rate, ops/s, evictions, rejected connections and queue growth are measured.
  sampleSeconds: 5
  # PING round trips timed over the window (p50 / p99).
  pingSamples: 100
  # Most keys the big-key scan measures (SCAN with a COUNT, never KEYS); 0 turns the scan off.
  maxKeys: 100000
  # Time budget of the big-key scan.
  maxScanSeconds: 2
  # COUNT hint of each SCAN call.
  scanCount: 200
  # Connect timeout: an unreachable server fails fast.
  connectTimeoutSeconds: 3
  # Timeout of every command.
  commandTimeoutSeconds: 5

# Comparison with an earlier report (docs/baselines.md); regressions become findings (category regression).
baseline:
  # "latest" (the newest earlier report in outputDir) or a report file (--baseline).
  # against: latest
  # Exit 1 on any regression, whatever failOn says (--fail-on-regression).
  failOnRegression: false
  # Severity of a regression finding: critical, warning or info (counts towards failOn).
  severity: warning
  # Rates, utilisations, gauges: a change smaller than this % of the old value is noise.
  relativePercent: 25
  # Per unit, a change smaller than this is noise; merged over the defaults ("%": 10 points, ms: 2, load/core: 0.25, ...).
  absolute: {}
  # Latency percentiles: standard errors of the difference (from the sample counts) before a change counts.
  confidenceZ: 3
  # Latency percentiles: the smallest change that matters, as % of the old value.
  percentileMinChangePercent: 10
  # Metric ids left out of the comparison (* matches anything).
  ignore: ["system.cpu.perCore*", "system.load.load1*", "load.*.generator.*", "docker.services*"]

# Keep only the newest N reports in outputDir, every format; a "latest.json" link points at the newest (--keep).
# keep: 30

# Push the Prometheus metrics to this Pushgateway after each run (--pushgateway).
# pushgateway: http://127.0.0.1:9091

# Overrides of the rules' default thresholds; give only the values you change.
# Each rule raises a finding above its info / warning / critical value; "normal" is where its score starts to fall.
# Within an entry the values must rise: normal < info < warning < critical.
# Every key is listed, commented out, with its default values, what it measures and their source.
thresholds:
${thresholdExamples()}`;
}

/** Every threshold key as a commented-out YAML line under its part's heading, after its description and source. */
function thresholdExamples(): string {
  const lines: string[] = [];
  let part: ThresholdPart | null = null;
  for (const [key, definition] of Object.entries(THRESHOLD_DEFINITIONS)) {
    if (definition.part !== part) {
      part = definition.part;
      lines.push(`  # ---- ${THRESHOLD_PARTS[part]} ----`);
    }
    const levels = Object.entries(definition.levels).map(([level, value]) => `${level}: ${value}`).join(', ');
    lines.push(`  # ${definition.description}. Source: ${definition.source}`);
    lines.push(`  # ${key}: { ${levels} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** The one file-system call writeStarterConfig needs; node:fs/promises fits. */
export interface StarterConfigWriter {
  writeFile(path: string, data: string, options: { encoding: 'utf8'; flag: 'w' | 'wx' }): Promise<void>;
}

/**
 * Writes the starter file. Without `force` an existing file is left alone and the result is
 * 'exists' (the CLI says so and exits 2); the check and the write are one call (flag "wx"), so
 * nothing can slip in between. Other errors (no such directory, permission denied) are thrown as is.
 */
export async function writeStarterConfig(
  path: string,
  options: { force: boolean },
  writer: StarterConfigWriter = { writeFile: writeFileToDisk },
): Promise<'written' | 'exists'> {
  try {
    await writer.writeFile(path, starterConfigYaml(), { encoding: 'utf8', flag: options.force ? 'w' : 'wx' });
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EEXIST') return 'exists';
    throw error;
  }
}
