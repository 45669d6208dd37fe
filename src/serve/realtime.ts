/**
 * The live sample behind metrics/realtime, health-overview and /metrics: the host (CPU over
 * the interval since the previous sample, memory, the root filesystem), and PostgreSQL and
 * Redis when they are configured (one read-only session each, kept open and reused, so the
 * server never holds more than one connection per service). A sample is cached for
 * `maxAgeMs` and taken by one caller at a time: a thousand clients cost one sample a second.
 */
import { cpuMetrics } from '../collectors/system/cpu.js';
import { memoryMetrics } from '../collectors/system/memory.js';
import { mountMetrics } from '../collectors/system/mounts.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../ports/clock.js';
import type { HostPort } from '../ports/host.js';
import type { PgSession, PostgresPort } from '../ports/postgres.js';
import { redactPostgresUrl } from '../ports/postgres.js';
import type { RedisPort, RedisSession } from '../ports/redis.js';
import { redactRedisUrl, redactSecret } from '../ports/redis.js';

const passwordOf = (url: string): string | undefined => {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
};

export interface DatabaseSample {
  target: string;
  error: string | null;
  connections: { active: number; idle: number; total: number; max: number; utilization_percent: number } | null;
  /** transactions (commits + rollbacks) per second since the previous sample; null on the first */
  transactions_per_second: number | null;
}

export interface CacheSample {
  target: string;
  error: string | null;
  connected_clients: number | null;
  used_memory_bytes: number | null;
  ops_per_second: number | null;
  hit_rate_percent: number | null;
}

export interface RealtimeSample {
  timestamp: string;
  /** how long the sample took to take, ms */
  sample_ms: number;
  /** the interval the CPU figure is a delta over, ms (null on the very first sample) */
  cpu_window_ms: number | null;
  host: { cpu_percent: number | null; memory_percent: number | null; disk_percent: number | null; load1: number | null; cores: number | null };
  database: DatabaseSample | null;
  cache: CacheSample | null;
}

export interface SamplerPorts {
  host: HostPort;
  clock: Clock;
  postgres: PostgresPort;
  redis: RedisPort;
}

const round = (value: number | null, digits = 1) => (value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits);

export class RealtimeSampler {
  private cached: { sample: RealtimeSample; atMs: number } | null = null;
  private inflight: Promise<RealtimeSample> | null = null;
  private previousStat: { text: string; atMs: number } | null = null;
  private pg: PgSession | null = null;
  private previousXacts: { count: number; atMs: number } | null = null;
  private redis: RedisSession | null = null;
  private samples = 0;

  constructor(
    private readonly config: Config,
    private readonly ports: SamplerPorts,
    private readonly maxAgeMs = 1000,
  ) {}

  /** samples actually taken (not served from the cache) */
  get taken(): number {
    return this.samples;
  }

  /** The cached sample when it is younger than maxAgeMs, else a new one (shared by every caller waiting for it). */
  get(): Promise<RealtimeSample> {
    const now = this.ports.clock.monotonicMs();
    if (this.cached && now - this.cached.atMs < this.maxAgeMs) return Promise.resolve(this.cached.sample);
    this.inflight ??= this.take().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** Reads the CPU counters once, so that the first sample served already has a CPU figure (no cached sample). */
  async prime(): Promise<void> {
    const stat = await this.ports.host.readText('/proc/stat');
    if (stat !== null) this.previousStat = { text: stat, atMs: this.ports.clock.monotonicMs() };
  }

  async close(): Promise<void> {
    await Promise.all([this.pg?.close().catch(() => undefined), this.redis?.close().catch(() => undefined)]);
    this.pg = null;
    this.redis = null;
  }

  private async take(): Promise<RealtimeSample> {
    const startedMs = this.ports.clock.monotonicMs();
    const [host, database, cache] = await Promise.all([this.host(), this.database(), this.cache()]);
    const atMs = this.ports.clock.monotonicMs();
    const sample: RealtimeSample = {
      timestamp: this.ports.clock.now().toISOString(),
      sample_ms: round(atMs - startedMs, 3) ?? 0,
      cpu_window_ms: host.windowMs,
      host: host.values,
      database,
      cache,
    };
    this.samples += 1;
    this.cached = { sample, atMs };
    return sample;
  }

  private async host(): Promise<{ values: RealtimeSample['host']; windowMs: number | null }> {
    const { host, clock } = this.ports;
    const [stat, meminfo, loadavg, root] = await Promise.all([
      host.readText('/proc/stat'),
      host.readText('/proc/meminfo'),
      host.readText('/proc/loadavg'),
      host.statFileSystem('/', 2000),
    ]);
    const atMs = clock.monotonicMs();
    let cpu: number | null = null;
    let cores: number | null = null;
    let windowMs: number | null = null;
    if (stat !== null && this.previousStat !== null) {
      windowMs = round(atMs - this.previousStat.atMs, 3);
      const metrics = cpuMetrics(this.previousStat.text, stat, atMs - this.previousStat.atMs);
      cpu = metrics?.totalPercent.value ?? null;
      cores = metrics?.cores ?? null;
    }
    if (stat !== null) this.previousStat = { text: stat, atMs };
    const memory = memoryMetrics(meminfo, null, null, 0).usedPercent.value;
    const disk = root ? mountMetrics({ mount: '/', device: '', fsType: '' }, root).usedPercent.value : null;
    const load1 = loadavg ? Number(loadavg.split(/\s+/)[0]) : null;
    return { values: { cpu_percent: round(cpu), memory_percent: round(memory), disk_percent: round(disk), load1: Number.isFinite(load1) ? load1 : null, cores }, windowMs };
  }

  private async database(): Promise<DatabaseSample | null> {
    const url = this.config.database.url;
    if (!url) return null;
    const target = redactPostgresUrl(url);
    try {
      this.pg ??= await this.ports.postgres.connect(url, {
        statementTimeoutMs: Math.min(this.config.database.statementTimeoutMs, 2000),
        lockTimeoutMs: this.config.database.lockTimeoutMs,
        connectTimeoutMs: Math.min(this.config.database.connectTimeoutMs, 2000),
      });
      const rows = await this.pg.query<{ active: string; idle: string; total: string; max: string; reserved: string; xacts: string }>(
        `SELECT count(*) FILTER (WHERE state = 'active') AS active,
                count(*) FILTER (WHERE state LIKE 'idle%') AS idle,
                count(*) FILTER (WHERE backend_type = 'client backend') AS total,
                current_setting('max_connections') AS max,
                current_setting('superuser_reserved_connections') AS reserved,
                (SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database) AS xacts
           FROM pg_stat_activity WHERE backend_type = 'client backend'`,
      );
      const row = rows[0]!;
      const atMs = this.ports.clock.monotonicMs();
      const xacts = Number(row.xacts);
      const tps = this.previousXacts && atMs > this.previousXacts.atMs ? ((xacts - this.previousXacts.count) / (atMs - this.previousXacts.atMs)) * 1000 : null;
      this.previousXacts = { count: xacts, atMs };
      const usable = Number(row.max) - Number(row.reserved);
      return {
        target,
        error: null,
        connections: {
          active: Number(row.active),
          idle: Number(row.idle),
          total: Number(row.total),
          max: Number(row.max),
          utilization_percent: round(usable > 0 ? (Number(row.total) / usable) * 100 : 0) ?? 0,
        },
        transactions_per_second: tps === null || tps < 0 ? null : round(tps),
      };
    } catch (error) {
      await this.pg?.close().catch(() => undefined);
      this.pg = null;
      return { target, error: redactSecret((error as Error).message, passwordOf(url)), connections: null, transactions_per_second: null };
    }
  }

  private async cache(): Promise<CacheSample | null> {
    const url = this.config.redis.url;
    if (!url) return null;
    const target = redactRedisUrl(url);
    try {
      this.redis ??= await this.ports.redis.connect({ url, connectTimeoutMs: 2000, commandTimeoutMs: 1000 });
      const info = String(await this.redis.call('INFO', 'all'));
      const field = (name: string) => {
        const match = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
        return match ? Number(match[1]!.trim()) : null;
      };
      const hits = field('keyspace_hits');
      const misses = field('keyspace_misses');
      return {
        target,
        error: null,
        connected_clients: field('connected_clients'),
        used_memory_bytes: field('used_memory'),
        ops_per_second: field('instantaneous_ops_per_sec'),
        // since the server started (cumulative): INFO's counters, said so in the name of the endpoint's docs
        hit_rate_percent: hits !== null && misses !== null && hits + misses > 0 ? round((hits / (hits + misses)) * 100) : null,
      };
    } catch (error) {
      await this.redis?.close().catch(() => undefined);
      this.redis = null;
      return { target, error: redactSecret((error as Error).message, passwordOf(url)), connected_clients: null, used_memory_bytes: null, ops_per_second: null, hit_rate_percent: null };
    }
  }
}
