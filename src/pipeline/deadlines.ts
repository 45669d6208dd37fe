/**
 * The deadline of each collector and check, derived from the configuration: the longest the work
 * can honestly take when every call it makes runs into its own timeout, plus a fixed margin. They are
 * a safety net for what a per-call timeout cannot catch (a stopped server that keeps its socket open,
 * a hung network mount, a call that retries): when one passes, the phase records status error or
 * partial naming what it waited on, and the run goes on. docs/deadlines.md lists them for users.
 */
import type { ArtifactId } from '../contracts/collector.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_ENDPOINTS } from '../collectors/api/index.js';
import { STATS_SETTLE_DEADLINE_MS } from '../collectors/settle.js';

/** Fixed margin on every collector deadline: module loading, process start-up of helpers, scheduling on a busy host. */
const MARGIN_MS = 10_000;

/** Queries a database collector runs one after another, each bounded by statement_timeout (catalog, stats, activity, indexes, plans). */
const POSTGRES_SEQUENTIAL_QUERIES = 30;
/** Redis commands outside the sampling window and the key scan (INFO sections, CONFIG GET, SLOWLOG, queue lengths). */
const REDIS_SEQUENTIAL_COMMANDS = 12;
/** Docker engine calls one after another (version, list, inspect round, two stats rounds, exited containers). */
const DOCKER_SEQUENTIAL_CALLS = 6;

/** The output directory check: a local mkdir and a probe file take milliseconds; a hung mount does not end. */
export const OUTPUT_CHECK_DEADLINE_MS = 5_000;
/** Writing all report files (temp files, fsync, renames). */
export const REPORT_WRITE_DEADLINE_MS = 30_000;
/** After Ctrl-C or SIGTERM the run has this long to write its partial report before the CLI ends the process. */
export const INTERRUPT_EXIT_MS = 10_000;

const seconds = (value: number) => value * 1000;

function windowMs(config: Config, own: number | undefined): number {
  return seconds(own ?? config.system.sampleSeconds);
}

function postgresCount(config: Config): number {
  return (config.database.url !== undefined ? 1 : 0) + config.database.databases.length;
}

function endpointCount(config: Config): number {
  return config.api.endpoints.length === 0 ? DEFAULT_ENDPOINTS.length : config.api.endpoints.length;
}

/** Each collector's deadline in ms (unknown ids: five minutes, so a new collector is never unbounded). */
export function collectorDeadlineMs(id: ArtifactId, config: Config): number {
  const db = config.database;
  switch (id) {
    case 'system':
      // the sampling window, then the process list and filesystem sizes
      return seconds(config.system.sampleSeconds) + MARGIN_MS + 20_000;
    case 'docker':
      return windowMs(config, undefined) + DOCKER_SEQUENTIAL_CALLS * seconds(config.docker.timeoutSeconds) + MARGIN_MS;
    case 'postgres':
      // databases are read concurrently (at most two sessions per server): one database's worth, twice
      return windowMs(config, db.sampleSeconds) + 2 * (db.connectTimeoutMs + POSTGRES_SEQUENTIAL_QUERIES * db.statementTimeoutMs) * Math.max(1, Math.ceil(postgresCount(config) / 2)) + MARGIN_MS;
    case 'pgbouncer':
      return db.connectTimeoutMs + 10 * db.statementTimeoutMs + MARGIN_MS;
    case 'redis': {
      const redis = config.redis;
      return seconds(redis.connectTimeoutSeconds) + windowMs(config, redis.sampleSeconds) + seconds(redis.maxScanSeconds) + REDIS_SEQUENTIAL_COMMANDS * seconds(redis.commandTimeoutSeconds) + MARGIN_MS;
    }
    case 'api': {
      const api = config.api;
      const login = api.login;
      const logins = login ? login.samples * 2 + login.concurrency.length * login.loginsPerLevel : 0;
      const requests = endpointCount(config) * (api.samples + api.warmup) + logins + 2;
      return requests * seconds(api.timeoutSeconds) + MARGIN_MS;
    }
    case 'diagnosis': {
      const settings = config.diagnosis;
      // per endpoint: two driven windows, each ending with its last requests' timeout, the counters settling
      // after the first, and a few catalog reads; before them the login and the control window, settled twice
      const perEndpoint = 2 * (seconds(settings.secondsPerEndpoint) + seconds(config.api.timeoutSeconds)) + STATS_SETTLE_DEADLINE_MS + 4 * db.statementTimeoutMs;
      return seconds(config.api.timeoutSeconds) + seconds(settings.controlSeconds) + 2 * STATS_SETTLE_DEADLINE_MS + endpointCount(config) * perEndpoint + MARGIN_MS;
    }
    case 'load': {
      const load = config.load;
      const planned = load.concurrency.length * (seconds(load.durationSeconds) + seconds(load.warmupSeconds)) + load.rates.length * seconds(load.durationSeconds);
      return Math.min(planned, seconds(load.maxTotalSeconds)) + 2 * seconds(load.timeoutSeconds) + MARGIN_MS;
    }
    default:
      return 300_000;
  }
}

/** A prerequisite reachability probe: one connection and one call. */
export function probeDeadlineMs(id: ArtifactId, config: Config): number {
  switch (id) {
    case 'postgres':
    case 'pgbouncer':
      return config.database.connectTimeoutMs + config.database.statementTimeoutMs + 1000;
    case 'redis':
      return seconds(config.redis.connectTimeoutSeconds + config.redis.commandTimeoutSeconds) + 1000;
    case 'docker':
      return seconds(config.docker.timeoutSeconds) + 1000;
    case 'api':
    case 'diagnosis':
    case 'load':
      return seconds(config.api.timeoutSeconds) + 1000;
    default:
      return 15_000;
  }
}
