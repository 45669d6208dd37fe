/**
 * The Redis collector: connects once (one connection, bounded timeouts), checks what it may
 * do, reads INFO at both ends of a sampling window while timing PINGs, reads the configured
 * queues at both ends, then (outside the window, so its own reads do not count as the
 * application's hits and misses) the slowlog, MEMORY DOCTOR and a bounded SCAN of the keys.
 */
import { LatencyRecorder } from '../../load/histogram.js';
import { gauge } from '../../contracts/metric.js';
import type { CollectorResult } from '../../contracts/collector.js';
import type { RedisAccess, RedisMetrics } from '../../contracts/redis.js';
import type { Clock } from '../../ports/clock.js';
import { redactRedisUrl, type RedisPort, type RedisSession } from '../../ports/redis.js';
import { clientsOf, keyspaceDbs, memoryOf, persistenceOf, serverInfo, serverLatencyOver, statsOver, topCommandsByTime } from './derive.js';
import { num, parseInfo } from './info.js';
import { scanKeys } from './keys.js';
import { queueOver, readQueue, type QueueReading } from './queues.js';
import { parseSlowlog, SLOWLOG_ENTRIES } from './slowlog.js';
import { errorMessage } from '../../shared/errors.js';

export interface RedisCollectorOptions {
  url: string;
  queues: readonly string[];
  sampleSeconds: number;
  pingSamples: number;
  maxKeys: number;
  maxScanSeconds: number;
  scanCount: number;
  connectTimeoutSeconds: number;
  commandTimeoutSeconds: number;
  signal: AbortSignal;
}

/** MEMORY DOCTOR's text is kept to this many characters. */
const DOCTOR_TEXT_MAX = 600;
/** A key no application uses, for probing MEMORY USAGE permissions. */
const PROBE_KEY = 'perf-analyze:probe:nonexistent';

const isAuthError = (message: string) => /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH failed/i.test(message);

function emptyMetrics(url: string, access: RedisAccess, error: string): RedisMetrics {
  return {
    target: redactRedisUrl(url),
    reachable: access.reachable,
    error,
    access,
    windowMs: 0,
    server: null,
    stats: null,
    memory: null,
    clients: null,
    persistence: null,
    latency: null,
    slowlog: null,
    keyspace: [],
    keySample: null,
    queues: [],
    notes: [],
  };
}

export interface ConnectResult {
  session: RedisSession | null;
  access: RedisAccess;
  error: string | null;
}

/**
 * Connects and tries each command class once: INFO (required), SLOWLOG, MEMORY, CONFIG.
 * Never throws: an unreachable server or a refused password is a result, not an exception.
 */
export async function connectAndProbe(port: RedisPort, clock: Clock, options: Pick<RedisCollectorOptions, 'url' | 'connectTimeoutSeconds' | 'commandTimeoutSeconds'>): Promise<ConnectResult> {
  const access: RedisAccess = { reachable: false, authenticated: false, commands: {}, denied: [], connectMs: null };
  const started = clock.monotonicMs();
  let session: RedisSession;
  try {
    session = await port.connect({
      url: options.url,
      connectTimeoutMs: options.connectTimeoutSeconds * 1000,
      commandTimeoutMs: options.commandTimeoutSeconds * 1000,
    });
  } catch (error) {
    const message = errorMessage(error);
    if (isAuthError(message)) access.reachable = true;
    return { session: null, access, error: message };
  }
  access.reachable = true;
  try {
    await session.call('INFO', 'server');
    access.authenticated = true;
    access.commands.info = true;
  } catch (error) {
    const message = errorMessage(error);
    access.authenticated = !isAuthError(message);
    access.commands.info = false;
    access.denied.push(`INFO: ${message}`);
    await session.close();
    return { session: null, access, error: isAuthError(message) ? `authentication failed: ${message}` : `INFO refused: ${message}` };
  }
  access.connectMs = Math.round((clock.monotonicMs() - started) * 1000) / 1000;
  const tries: Array<[string, readonly [string, ...Array<string | number>]]> = [
    ['slowlog', ['SLOWLOG', 'LEN']],
    ['memory', ['MEMORY', 'USAGE', PROBE_KEY]],
    ['config', ['CONFIG', 'GET', 'slowlog-log-slower-than']],
    ['scan', ['SCAN', '0', 'COUNT', 1]],
  ];
  const replies = await session.pipeline(tries.map(([, command]) => command));
  tries.forEach(([name, command], i) => {
    const reply = replies[i];
    access.commands[name] = reply?.ok === true;
    if (reply && !reply.ok) access.denied.push(`${command.slice(0, 2).join(' ')}: ${reply.error}`);
  });
  // a name in CLIENT LIST; and on Redis 7.2+ reads that do not touch the keys' LRU/LFU clocks
  await session.pipeline([['CLIENT', 'SETNAME', 'perf-analyze'], ['CLIENT', 'NO-TOUCH', 'ON']]);
  return { session, access, error: null };
}

export async function collectRedis(
  ports: { redis: RedisPort; clock: Clock },
  options: RedisCollectorOptions,
): Promise<CollectorResult<RedisMetrics>> {
  const { clock } = ports;
  const { session, access, error } = await connectAndProbe(ports.redis, clock, options);
  if (!session) {
    return { data: emptyMetrics(options.url, access, error ?? 'not reachable'), partial: `Redis not analysed: ${error ?? 'not reachable'}` };
  }
  try {
    return await measure(session, clock, access, options);
  } finally {
    await session.close();
  }
}

async function measure(session: RedisSession, clock: Clock, access: RedisAccess, options: RedisCollectorOptions): Promise<CollectorResult<RedisMetrics>> {
  const notes: string[] = [];
  const readQueues = async (): Promise<QueueReading[]> => {
    const readings: QueueReading[] = [];
    for (const name of options.queues) readings.push(await readQueue(session, name));
    return readings;
  };

  // ---- the window: INFO, PINGs spread over it, INFO -------------------------------------
  const queuesAtStart = await readQueues();
  const first = parseInfo(String(await session.call('INFO', 'everything')));
  const startedMs = clock.monotonicMs();
  const targetMs = options.sampleSeconds * 1000;
  const histogram = new LatencyRecorder();
  let pings = 0;
  let failures = 0;
  for (let i = 0; i < options.pingSamples && !options.signal.aborted; i++) {
    const due = startedMs + (targetMs * (i + 1)) / (options.pingSamples + 1);
    await clock.sleep(Math.max(0, due - clock.monotonicMs()), options.signal);
    if (options.signal.aborted) break;
    const sent = clock.monotonicMs();
    try {
      await session.call('PING');
      histogram.recordMicros((clock.monotonicMs() - sent) * 1000);
    } catch {
      failures += 1;
    }
    pings += 1;
  }
  await clock.sleep(Math.max(0, startedMs + targetMs - clock.monotonicMs()), options.signal);
  const second = parseInfo(String(await session.call('INFO', 'everything')));
  const windowMs = Math.round((clock.monotonicMs() - startedMs) * 1000) / 1000;
  const queuesAtEnd = await readQueues();
  const cutShort = options.signal.aborted && windowMs < targetMs;

  // ---- after the window: slowlog, settings, MEMORY DOCTOR, key scan -----------------
  const slowlog = access.commands.slowlog
    ? await (async () => {
        const [entries, length] = await session.pipeline([['SLOWLOG', 'GET', SLOWLOG_ENTRIES], ['SLOWLOG', 'LEN']]);
        return { entries: parseSlowlog(entries?.ok ? entries.value : null), length: entries?.ok && length?.ok ? Number(length.value) : 0 };
      })()
    : null;
  if (!access.commands.slowlog) notes.push('SLOWLOG not allowed for this user: slow commands not read');
  let slowlogThresholdUsec: number | null = null;
  let maxClientsFromConfig: number | null = null;
  if (access.commands.config) {
    const [slower, maxclients] = await session.pipeline([['CONFIG', 'GET', 'slowlog-log-slower-than'], ['CONFIG', 'GET', 'maxclients']]);
    slowlogThresholdUsec = configValue(slower?.ok ? slower.value : null);
    maxClientsFromConfig = configValue(maxclients?.ok ? maxclients.value : null);
  } else {
    notes.push('CONFIG GET not allowed for this user: the slowlog threshold is unknown');
  }
  let doctor: string | null = null;
  if (access.commands.memory) {
    const [reply] = await session.pipeline([['MEMORY', 'DOCTOR']]);
    if (reply?.ok) doctor = String(reply.value).trim().slice(0, DOCTOR_TEXT_MAX);
  } else {
    notes.push('MEMORY not allowed for this user: MEMORY DOCTOR and key memory not read');
  }

  let keySample: RedisMetrics['keySample'] = null;
  let scanFailure: string | null = null;
  if (options.maxKeys > 0 && access.commands.scan && !options.signal.aborted) {
    try {
      keySample = await scanKeys(session, clock, {
        maxKeys: options.maxKeys,
        maxMs: options.maxScanSeconds * 1000,
        count: options.scanCount,
        signal: options.signal,
        memoryAllowed: access.commands.memory === true,
      });
      if (keySample.stoppedBy !== 'done') {
        notes.push(
          `key scan stopped by its ${keySample.stoppedBy === 'time' ? `time budget (${options.maxScanSeconds} s)` : `key budget (${options.maxKeys} keys)`}: ` +
            `${keySample.scannedKeys} of ${keySample.totalKeys} keys measured (${keySample.coveragePercent} %)`,
        );
      }
    } catch (scanError) {
      scanFailure = `key scan failed: ${errorMessage(scanError)}`;
      notes.push(scanFailure);
    }
  } else if (options.maxKeys === 0) {
    notes.push('key scan turned off (redis.maxKeys: 0)');
  }

  const target = session.target;
  const node = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const server = serverInfo(second, node, target.db);
  if (server.mode === 'cluster') notes.push(`cluster mode: only the node ${node} was analysed`);
  if (server.role === 'slave') notes.push(`replica of ${server.primary ?? 'unknown'}: only this replica was analysed`);
  const ownCommands = pings + 1; // the first INFO is counted after it ran
  const serverLatency = serverLatencyOver(first, second);
  const data: RedisMetrics = {
    target: redactRedisUrl(options.url),
    reachable: true,
    error: null,
    access,
    windowMs,
    server,
    stats: statsOver(first, second, windowMs, ownCommands),
    memory: memoryOf(second, doctor),
    clients: clientsOf(second, maxClientsFromConfig),
    persistence: persistenceOf(second),
    latency: {
      pingP50Ms: { ...gauge(pings > failures ? histogram.percentileMs(50) : null, 'ms'), samples: pings - failures },
      pingP99Ms: { ...gauge(pings > failures ? histogram.percentileMs(99) : null, 'ms'), samples: pings - failures },
      pingMaxMs: { ...gauge(pings > failures ? histogram.maxMs : null, 'ms'), samples: pings - failures },
      pingSamples: pings,
      pingFailures: failures,
      serverAvgUsecPerCall: { ...gauge(serverLatency.avgUsec, 'µs'), sampling: 'delta', windowMs, samples: serverLatency.calls },
      serverCallsCounted: serverLatency.calls,
      topCommandsByTime: topCommandsByTime(second),
    },
    slowlog: slowlog === null ? null : { length: slowlog.length, thresholdUsec: slowlogThresholdUsec, entries: slowlog.entries },
    keyspace: keyspaceDbs(second),
    keySample,
    queues: queuesAtEnd.map((end, i) => queueOver(queuesAtStart[i] ?? end, end, windowMs)),
    notes,
  };
  if (num(second, 'uptime_in_seconds') !== null && (num(first, 'uptime_in_seconds') ?? 0) > (num(second, 'uptime_in_seconds') ?? 0)) {
    notes.push('the server restarted during the window: window deltas are not meaningful');
  }
  if (cutShort) return { data, partial: `sampling window cut short to ${Math.round(windowMs)} ms by interrupt` };
  // the window's facts stand; the phase says what could not be read after it
  return scanFailure ? { data, partial: scanFailure } : { data };
}

/** CONFIG GET replies ["name", "value"] (RESP2) -> the number */
function configValue(reply: unknown): number | null {
  if (!Array.isArray(reply) || reply.length < 2) return null;
  const value = Number(reply[1]);
  return Number.isFinite(value) ? value : null;
}
