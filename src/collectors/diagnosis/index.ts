/**
 * The cross-layer diagnosis (issue 8): a control window with no traffic of ours (the background),
 * then each GET endpoint (or each endpoint diagnosis.endpoints names) driven alone for a short, bounded window (closed model, a few users),
 * with PostgreSQL and Redis counters read before and after. The deltas, background subtracted,
 * are what that endpoint's traffic caused.
 */
import type { CollectorResult } from '../../contracts/collector.js';
import type { DiagnosisMetrics, EndpointDiagnosis, WindowResources } from '../../contracts/diagnosis.js';
import type { QueryPlansMetrics } from '../../contracts/postgres.js';
import type { Config } from '../../config/schema.js';
import type { Ports } from '../../ports/index.js';
import { runClosed, type LoadRequest } from '../../load/engine.js';
import { missingVariables } from '../../config/env-template.js';
import { postgresTargets } from '../postgres/index.js';
import { sessionOptions } from '../postgres/collector.js';
import { CountingSession, explain } from '../postgres/session.js';
import { statStatementsState } from '../postgres/statements.js';
import { DEFAULT_ENDPOINTS } from '../api/index.js';
import { endpointName, expectedStatuses } from '../api/endpoints.js';
import { tokenAt } from '../api/jwt.js';
import { endpointRequest, loginRequest, type ApiSession, type EndpointConfig, type RequestContext } from '../api/request.js';
import { attributeWindow, backgroundRates, deltasOf, statementDelta } from './attribute.js';
import { OWN_TAG, otherBackendsMayHoldCounters, readIndexedColumns, readRedisCounters, readStatementCounters, readTableCounters, type Snapshot } from './snapshot.js';
import type { RedisSession } from '../../ports/redis.js';
import { connectionUse, sampleConnectionsDuring } from './connections.js';
import { readResources, windowResources, type ResourceReading, type ResourceSource } from './resources.js';
import { saturatedIn, saturationAnalysis, type Causality } from './saturation.js';
import { dockerConfigured, dockerEndpoint } from '../docker/target.js';
import { publishHorizonMs, settledSnapshot } from './settle.js';
import type { SettleRecord } from '../../contracts/artifact.js';
import { describeEndpoint } from '../../ports/docker.js';
import { adviseStatements, type StatementToAdvise } from '../postgres/index-advice.js';
import { errorMessage } from '../../shared/errors.js';

/** The statements of the endpoints' windows that name a table the window scanned sequentially, once each: what the index advice plans. */
export function statementsToAdvise(endpoints: readonly EndpointDiagnosis[]): StatementToAdvise[] {
  const found = new Map<string, StatementToAdvise>();
  for (const endpoint of endpoints) {
    const database = endpoint.database;
    if (!database || database.seqScannedTables.length === 0) continue;
    const bareNames = database.seqScannedTables.map((table) => table.table.split('.').pop()!.toLowerCase());
    for (const query of database.topQueries) {
      if (found.has(query.queryId) || !bareNames.some((name) => new RegExp(`\\b${name}\\b`, 'i').test(query.query))) continue;
      found.set(query.queryId, { text: query.query, queryId: query.queryId, calls: query.calls });
    }
  }
  return [...found.values()];
}

/** The idle period read after each window lasts at least this long: a shorter one gives no stable CPU share (host CPU is read from /proc/stat ticks of 10 ms). */
const IDLE_AFTER_MIN_MS = 1000;

/** The generator during the control window: it sends nothing. */
const IDLE_GENERATOR = { cpuPercent: 0, eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0 };

/** Median of a few PINGs: the round trip of one Redis command from here, ms. */
async function roundTripMs(redis: RedisSession): Promise<number | null> {
  const times: number[] = [];
  try {
    for (let i = 0; i < 9; i += 1) {
      const started = performance.now();
      await redis.call('ping');
      times.push(performance.now() - started);
    }
  } catch {
    return null;
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 1000) / 1000;
}

export interface DiagnosisInput {
  config: Config;
  ports: Ports;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** One login with the configured flow, for the endpoints that need the token; null when there is none. */
async function loginToken(input: DiagnosisInput): Promise<{ token: string | null; problem: string | null }> {
  const api = input.config.api;
  if (!api.login) return { token: null, problem: 'api.login is not configured' };
  const client = input.ports.http.client(api.baseUrl as string, { insecure: api.insecure, connections: 1, connectTimeoutMs: api.timeoutSeconds * 1000 });
  const session: ApiSession = { client, api, env: input.env, secrets: new Set(), token: null, signal: input.signal };
  try {
    const result = await client.request(loginRequest(session));
    if (!result.ok) return { token: null, problem: 'the login failed' };
    if (result.status < 200 || result.status >= 300) return { token: null, problem: `the login answered status ${result.status}` };
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(result.body.toString('utf8'));
    } catch {
      return { token: null, problem: 'the login answered a body that is not JSON' };
    }
    const token = tokenAt(parsed, api.login.tokenPath);
    return token === null ? { token: null, problem: `no token at "${api.login.tokenPath}"` } : { token, problem: null };
  } finally {
    await client.close();
  }
}

/** The endpoint as the load engine sends it: the API phase's request builder (headers, JSON body, token). */
function loadRequest(endpoint: EndpointConfig, context: RequestContext): LoadRequest {
  const request = endpointRequest(context, endpoint);
  return {
    method: request.method,
    path: request.path,
    headers: request.headers ?? {},
    ...(request.body !== undefined ? { body: request.body } : {}),
    expectedStatus: expectedStatuses(endpoint),
  };
}

/** The endpoints driven: diagnosis.endpoints by name, else every GET endpoint; the others are listed with why. */
export function chooseDiagnosed(config: Config): { chosen: EndpointConfig[]; skipped: DiagnosisMetrics['skipped'] } {
  const all = config.api.endpoints.length === 0 ? DEFAULT_ENDPOINTS : config.api.endpoints;
  const named = config.diagnosis.endpoints;
  const chosen = named ? named.flatMap((name) => all.filter((endpoint) => endpointName(endpoint) === name)) : all.filter((endpoint) => endpoint.method === 'GET');
  const skipped = all
    .filter((endpoint) => !chosen.includes(endpoint))
    .map((endpoint) => ({
      name: endpointName(endpoint),
      reason: named ? 'not named in diagnosis.endpoints' : `${endpoint.method}: only GET endpoints are driven unless diagnosis.endpoints names them`,
    }));
  return { chosen, skipped };
}

/** The sources the diagnosis reads: a PostgreSQL session and a Redis session, each null when it could not be opened. */
interface Sources {
  pg: CountingSession | null;
  /** server_version_num when pg_stat_statements can be read, -1 when it cannot (table scans are still read), 0 without PostgreSQL */
  versionNum: number;
  /** server_version_num, also when pg_stat_statements is missing */
  serverVersionNum: number;
  redis: RedisSession | null;
}

/** Opens the PostgreSQL and Redis sessions; what cannot be opened is noted, not thrown. */
async function openSources(input: DiagnosisInput, target: ReturnType<typeof postgresTargets>[number] | undefined, notVisible: string[]): Promise<Sources> {
  const { config } = input;
  const sources: Sources = { pg: null, versionNum: 0, serverVersionNum: 0, redis: null };
  if (target) {
    try {
      sources.pg = new CountingSession(await input.ports.postgres.connect(target.url, sessionOptions(config)));
      const state = await statStatementsState(sources.pg);
      if (!state.installed || !state.loaded) {
        notVisible.push(
          `pg_stat_statements is not ${state.loaded ? 'installed in database ' + target.name : 'loaded'}: ` +
            `CREATE EXTENSION pg_stat_statements (and shared_preload_libraries = 'pg_stat_statements'); database time per query not attributed`,
        );
      }
      const [row] = await sources.pg.query<{ v: string }>(`/* ${OWN_TAG} */ select current_setting('server_version_num') as v`);
      sources.serverVersionNum = Number(row?.v ?? 0);
      // table scans are still visible without pg_stat_statements
      sources.versionNum = state.installed && state.loaded ? sources.serverVersionNum : -1;
    } catch (error) {
      notVisible.push(`PostgreSQL ${target.name}: ${explain(error)}`);
      await sources.pg?.close();
      sources.pg = null;
    }
  }
  if (config.redis.url !== undefined) {
    try {
      sources.redis = await input.ports.redis.connect({
        url: config.redis.url,
        connectTimeoutMs: config.redis.connectTimeoutSeconds * 1000,
        commandTimeoutMs: config.redis.commandTimeoutSeconds * 1000,
      });
    } catch (error) {
      notVisible.push(`Redis: ${errorMessage(error)}`);
    }
  }
  return sources;
}

/** The host always; the containers too when Docker is configured and answers. */
async function resourceSourceOf(input: DiagnosisInput, notVisible: string[]): Promise<ResourceSource> {
  const { config } = input;
  const source: ResourceSource = { host: input.ports.host, docker: null, inspected: new Map() };
  if (dockerConfigured(config, input.ports.docker.defaultSocketExists)) {
    const endpoint = dockerEndpoint(config.docker.host);
    const engine = input.ports.docker.connect(endpoint, config.docker.timeoutSeconds * 1000);
    try {
      await engine.ping();
      source.docker = { engine, include: config.docker.include, exclude: config.docker.exclude };
    } catch (error) {
      notVisible.push(`Docker at ${describeEndpoint(endpoint)}: ${errorMessage(error)}; container CPU per window not read`);
    }
  }
  return source;
}

/** What every window of one diagnosis run reads and drives with (the sessions, and the readers made from them). */
interface DiagnosisRun extends Sources {
  input: DiagnosisInput;
  settings: Config['diagnosis'];
  base: URL;
  context: RequestContext;
  /** the counters now */
  snapshot(): Promise<Snapshot>;
  /** a snapshot once the counters of the traffic that ended at `trafficEndedMs` are published (settle.ts) */
  settle(since: Snapshot | null, trafficEndedMs: number): Promise<{ snapshot: Snapshot; record: SettleRecord }>;
  /** host and container CPU now; null when none could be read */
  readUse(): Promise<ResourceReading | null>;
}

const unsettled = (what: string, record: SettleRecord) => (record.settled ? [] : [`${what}: counters had not settled (${record.reason ?? 'deadline'}); confidence lowered`]);

/** The control window: whatever moves now is not ours (once the counters of the earlier phase and the login settled). */
async function controlWindow(run: DiagnosisRun, notVisible: string[]) {
  const { pg, redis, settings, input } = run;
  // before the control window: its PINGs are ours, not background
  const redisRoundTripMs = redis ? await roundTripMs(redis) : null;
  const start = await run.settle(null, performance.now());
  // the resources and the application's connections with no traffic of ours: what is saturated now is background
  const useBefore = await run.readUse();
  const { samples } = await sampleConnectionsDuring(pg, sleep(settings.controlSeconds * 1000, input.signal));
  const useAfter = await run.readUse();
  const resources = useBefore && useAfter ? windowResources(useBefore, useAfter, IDLE_GENERATOR) : undefined;
  const connections = pg ? connectionUse(samples) : null;
  // no traffic of ours in the control window: nothing to wait for beyond the cross-check
  const end = await run.settle(start.snapshot, Number.NEGATIVE_INFINITY);
  notVisible.push(...unsettled('control window', start.record), ...unsettled('control window', end.record));
  return {
    redisRoundTripMs,
    records: { before: start.record, after: end.record },
    resources,
    connections,
    after: end.snapshot,
    ms: end.snapshot.atMs - start.snapshot.atMs,
    deltas: deltasOf(start.snapshot, end.snapshot),
  };
}
type Control = Awaited<ReturnType<typeof controlWindow>>;

/** One endpoint driven at `concurrency` for the configured window, with the resources read around it. */
async function drive(run: DiagnosisRun, endpoint: EndpointConfig, concurrency: number) {
  const { settings, input } = run;
  const config = input.config;
  const useBefore = await run.readUse();
  const driven = await sampleConnectionsDuring(
    run.pg,
    runClosed(
      { origin: run.base.origin, requests: [loadRequest(endpoint, run.context)], timeoutMs: config.api.timeoutSeconds * 1000, insecure: config.api.insecure },
      { concurrency, warmupMs: 0, durationMs: settings.secondsPerEndpoint * 1000, maxRequests: settings.requestsPerEndpoint, signal: input.signal },
    ),
  );
  const endedMs = performance.now();
  const useAfter = await run.readUse();
  const resources = useBefore && useAfter ? windowResources(useBefore, useAfter, driven.result.generator) : undefined;
  return { ...driven, resources, useAfter, endedMs };
}

/**
 * The idle period after a window (its counters settling) is a second control: a host or container
 * still busy without our traffic was busy for someone else (another job that started during the
 * window), which the control window before all traffic cannot see.
 */
async function idleAfter(run: DiagnosisRun, useAfter: ResourceReading | null): Promise<WindowResources | undefined> {
  if (!useAfter) return undefined;
  const idleMs = performance.now() - useAfter.atMs;
  if (idleMs < IDLE_AFTER_MIN_MS) await sleep(IDLE_AFTER_MIN_MS - idleMs, run.input.signal);
  const useIdle = await run.readUse();
  return useIdle ? windowResources(useAfter, useIdle, IDLE_GENERATOR) : undefined;
}

/** One endpoint's attribution window: driven from the settled `before`, its counters settled after; returns the settled end, the next window's start. */
async function attributionWindow(run: DiagnosisRun, endpoint: EndpointConfig, before: Snapshot, control: Control): Promise<{ result: EndpointDiagnosis; after: Snapshot }> {
  const { pg, settings } = run;
  const { result: outcome, samples, resources, useAfter, endedMs } = await drive(run, endpoint, settings.concurrency);
  const end = await run.settle(before, endedMs);
  const resourcesAfter = await idleAfter(run, useAfter);
  const after = end.snapshot;
  const window = deltasOf(before, after);
  const scanned = [...window.tables].filter(([, delta]) => delta.seqScan > 0).map(([table]) => table);
  const indexedColumns = pg ? await readIndexedColumns(pg, scanned) : new Map<string, string[]>();
  const result = attributeWindow({
    name: endpointName(endpoint),
    method: endpoint.method,
    path: endpoint.path,
    requests: outcome.responses,
    errors: outcome.errors.total,
    windowMs: after.atMs - before.atMs,
    concurrency: settings.concurrency,
    latency: { p50Ms: outcome.latency.p50Ms, p95Ms: outcome.latency.p95Ms, meanMs: outcome.latency.meanMs },
    window,
    control: control.deltas,
    controlMs: control.ms,
    observedPostgres: pg !== null && run.versionNum > 0,
    observedRedis: run.redis !== null,
    indexedColumns,
    topQueries: settings.topQueries,
  });
  result.counters = end.record;
  const settleNotes = unsettled('after the window', end.record);
  if (settleNotes.length > 0) {
    result.notes.push(...settleNotes);
    result.confidence = result.confidence === 'high' ? 'medium' : 'low';
  }
  if (pg) result.connections = connectionUse(samples);
  if (resources) result.resources = resources;
  if (resourcesAfter) result.resourcesAfter = resourcesAfter;
  return { result, after };
}

/** The endpoint driven again with more users: its latency and database work there (pg_stat_statements only: counted at once, no wait). */
async function scalingWindow(run: DiagnosisRun, endpoint: EndpointConfig): Promise<NonNullable<EndpointDiagnosis['scaling']>> {
  const { pg, versionNum, settings } = run;
  const statementsBefore = pg && versionNum > 0 ? await readStatementCounters(pg, versionNum) : null;
  const { result: step, samples, resources } = await drive(run, endpoint, settings.scalingConcurrency);
  const requests = Math.max(step.responses, 1);
  let totalMs = 0;
  let calls = 0;
  if (pg && statementsBefore) {
    for (const delta of statementDelta(statementsBefore, await readStatementCounters(pg, versionNum)).values()) {
      totalMs += delta.totalMs;
      calls += delta.calls;
    }
  }
  return {
    concurrency: settings.scalingConcurrency,
    requests: step.responses,
    errors: step.errors.total,
    latencyP95Ms: step.latency.p95Ms,
    latencyMeanMs: step.latency.meanMs,
    dbMsPerRequest: statementsBefore ? Math.round((totalMs / requests) * 1000) / 1000 : null,
    queriesPerRequest: statementsBefore ? Math.round((calls / requests) * 1000) / 1000 : null,
    connections: pg ? connectionUse(samples) : null,
    ...(resources ? { resources } : {}),
  };
}

/** The endpoints that can be driven: those whose environment variables are set and, when they need it, with the login's token. */
function driveableEndpoints(chosen: readonly EndpointConfig[], input: DiagnosisInput, login: { token: string | null; problem: string | null }, skipped: DiagnosisMetrics['skipped']): EndpointConfig[] {
  const driveable: EndpointConfig[] = [];
  for (const endpoint of chosen) {
    const name = endpointName(endpoint);
    const missing = missingVariables({ headers: endpoint.headers, body: endpoint.body }, input.env);
    if (missing.length > 0) skipped.push({ name, reason: `uses environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, not set` });
    else if (endpoint.auth && login.token === null) skipped.push({ name, reason: `needs the login token: ${login.problem ?? 'no token'}` });
    else driveable.push(endpoint);
  }
  return driveable;
}

export async function collectDiagnosis(input: DiagnosisInput): Promise<CollectorResult<DiagnosisMetrics>> {
  const { config, signal } = input;
  const settings = config.diagnosis;
  const base = new URL(config.api.baseUrl as string);
  const notVisible: string[] = [];
  const skipped: DiagnosisMetrics['skipped'] = [];
  const target = postgresTargets(config)[0];
  const sources = await openSources(input, target, notVisible);
  const { pg, redis, versionNum } = sources;
  try {
    if (!pg && !redis) throw new Error(`neither PostgreSQL nor Redis could be observed: ${notVisible.join('; ')}`);
    const resourceNotes = new Set<string>();
    const resourceSource = await resourceSourceOf(input, notVisible);

    const { chosen, skipped: notChosen } = chooseDiagnosed(config);
    skipped.push(...notChosen);
    // the login first: its queries are traffic of ours too, and their counters settle with the earlier phase's
    const login = chosen.some((endpoint) => endpoint.auth) ? await loginToken(input) : { token: null, problem: null };

    // Every before/after read waits for PostgreSQL to publish the table counters of the traffic before
    // it (settle.ts), so that no window receives the late counters of an earlier one.
    const horizonMs = pg ? publishHorizonMs(sources.serverVersionNum) : 0;
    const othersMayHold = pg ? () => otherBackendsMayHoldCounters(pg, horizonMs) : undefined;
    const snapshot = async (): Promise<Snapshot> => ({
      atMs: performance.now(),
      statements: pg && versionNum > 0 ? await readStatementCounters(pg, versionNum) : null,
      tables: pg ? await readTableCounters(pg) : null,
      redis: redis ? await readRedisCounters(redis) : null,
    });
    const run: DiagnosisRun = {
      ...sources,
      input,
      settings,
      base,
      // substituted values land in `secrets` and are never kept
      context: { api: config.api, env: input.env, secrets: new Set(), token: login.token, signal },
      snapshot,
      settle: (since, trafficEndedMs) => settledSnapshot(snapshot, { since, trafficEndedMs, horizonMs, othersMayHold, signal }),
      async readUse() {
        try {
          return await readResources(resourceSource, resourceNotes);
        } catch (error) {
          // the engine stopped answering: go on with the host only
          resourceNotes.add(`Docker stopped answering (${errorMessage(error)}); container CPU not read from then on`);
          resourceSource.docker = null;
          return null;
        }
      },
    };

    const control = await controlWindow(run, notVisible);
    const causality: Causality = {
      control: { resources: control.resources, connections: control.connections },
      ...(settings.containers ? { serving: settings.containers } : {}),
    };

    // First every endpoint's attribution window, back to back: each window's settled "after" is the
    // next one's "before". The scaling windows follow, after all of them: they read only
    // pg_stat_statements (counted at once), so they need no wait for table counters.
    const diagnosed: Array<{ endpoint: EndpointConfig; result: EndpointDiagnosis }> = [];
    let before = control.after;
    for (const endpoint of driveableEndpoints(chosen, input, login, skipped)) {
      if (signal.aborted) {
        skipped.push({ name: endpointName(endpoint), reason: 'interrupted' });
        continue;
      }
      const window = await attributionWindow(run, endpoint, before, control);
      before = window.after;
      diagnosed.push({ endpoint, result: window.result });
    }

    // driven again with more users: does latency grow, and against which resource (database connections, a container's CPU limit, the host, the generator)?
    for (const { endpoint, result } of diagnosed) {
      if (settings.scalingConcurrency > settings.concurrency && !signal.aborted) result.scaling = await scalingWindow(run, endpoint);
      result.saturation = saturationAnalysis(
        { concurrency: settings.concurrency, latencyMeanMs: result.latencyMeanMs, resources: result.resources, connections: result.connections },
        result.scaling
          ? { concurrency: result.scaling.concurrency, latencyMeanMs: result.scaling.latencyMeanMs, resources: result.scaling.resources, connections: result.scaling.connections }
          : null,
        config.load.generator,
        { ...causality, ...(result.resourcesAfter ? { afterWindow: result.resourcesAfter } : {}) },
      );
    }
    // after every window (its EXPLAINs are no traffic of any window): the index advice for the statements that scanned a table
    let indexAdvice: QueryPlansMetrics | undefined;
    const toAdvise = statementsToAdvise(diagnosed.map(({ result }) => result));
    if (pg && target && toAdvise.length > 0 && !signal.aborted) {
      try {
        indexAdvice = await adviseStatements(input.ports.postgres, target.url, sessionOptions(config), toAdvise, { explainAnalyze: config.database.explainAnalyze });
      } catch (error) {
        notVisible.push(`index advice for the scanning statements: ${explain(error)}`);
      }
    }
    const data: DiagnosisMetrics = {
      observed: [...(pg && versionNum > 0 ? ['postgres'] : []), ...(redis ? ['redis'] : []), ...(resourceSource.docker ? ['docker'] : [])],
      background: backgroundRates(control.deltas, control.ms),
      controlCounters: control.records,
      control: {
        ...(control.resources ? { resources: control.resources } : {}),
        connections: control.connections,
        saturated: saturatedIn({ concurrency: 0, latencyMeanMs: null, resources: control.resources, connections: control.connections }, config.load.generator).filter(
          (entry) => entry.resource !== 'generator',
        ),
      },
      ...(settings.containers ? { servingContainers: [...settings.containers] } : {}),
      redisRoundTripMs: control.redisRoundTripMs,
      endpoints: diagnosed.map(({ endpoint, result }) => (endpoint.thresholds ? { ...result, thresholds: { ...endpoint.thresholds } } : result)),
      ...(indexAdvice ? { indexAdvice } : {}),
      skipped,
      limits: {
        secondsPerEndpoint: settings.secondsPerEndpoint,
        requestsPerEndpoint: settings.requestsPerEndpoint,
        concurrency: settings.concurrency,
        controlSeconds: settings.controlSeconds,
      },
      notVisible: [...notVisible, ...resourceNotes],
    };
    if (signal.aborted) return { data, partial: 'interrupted: the endpoints diagnosed so far are kept' };
    // every window without a single answer: the API was not there, nothing was attributed
    if (data.endpoints.length > 0 && data.endpoints.every((endpoint) => endpoint.requests === 0)) {
      const errors = data.endpoints.reduce((sum, endpoint) => sum + endpoint.errors, 0);
      return { data, failed: `the API at ${base.origin} answered no request in any window (${errors} failed): nothing attributed` };
    }
    return { data };
  } finally {
    await pg?.close();
    await redis?.close();
  }
}
