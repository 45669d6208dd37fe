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

export async function collectDiagnosis(input: DiagnosisInput): Promise<CollectorResult<DiagnosisMetrics>> {
  const { config, signal } = input;
  const settings = config.diagnosis;
  const base = new URL(config.api.baseUrl as string);
  const notVisible: string[] = [];
  const skipped: DiagnosisMetrics['skipped'] = [];

  let pg: CountingSession | null = null;
  let versionNum = 0;
  /** server_version_num, also when pg_stat_statements is missing (versionNum is then -1) */
  let serverVersionNum = 0;
  let redis: RedisSession | null = null;
  const target = postgresTargets(config)[0];
  try {
    if (target) {
      try {
        pg = new CountingSession(await input.ports.postgres.connect(target.url, sessionOptions(config)));
        const state = await statStatementsState(pg);
        if (!state.installed || !state.loaded) {
          notVisible.push(
            `pg_stat_statements is not ${state.loaded ? 'installed in database ' + target.name : 'loaded'}: ` +
              `CREATE EXTENSION pg_stat_statements (and shared_preload_libraries = 'pg_stat_statements'); database time per query not attributed`,
          );
        }
        const [row] = await pg.query<{ v: string }>(`/* ${OWN_TAG} */ select current_setting('server_version_num') as v`);
        versionNum = Number(row?.v ?? 0);
        serverVersionNum = versionNum;
        if (!state.installed || !state.loaded) {
          // table scans are still visible without pg_stat_statements
          versionNum = -1;
        }
      } catch (error) {
        notVisible.push(`PostgreSQL ${target.name}: ${explain(error)}`);
        await pg?.close();
        pg = null;
      }
    }
    if (config.redis.url !== undefined) {
      try {
        redis = await input.ports.redis.connect({
          url: config.redis.url,
          connectTimeoutMs: config.redis.connectTimeoutSeconds * 1000,
          commandTimeoutMs: config.redis.commandTimeoutSeconds * 1000,
        });
      } catch (error) {
        notVisible.push(`Redis: ${errorMessage(error)}`);
      }
    }
    if (!pg && !redis) throw new Error(`neither PostgreSQL nor Redis could be observed: ${notVisible.join('; ')}`);

    // the host always; the containers when Docker is configured and answers
    const resourceNotes = new Set<string>();
    const resourceSource: ResourceSource = { host: input.ports.host, docker: null, inspected: new Map() };
    if (dockerConfigured(config, input.ports.docker.defaultSocketExists)) {
      const endpoint = dockerEndpoint(config.docker.host);
      const engine = input.ports.docker.connect(endpoint, config.docker.timeoutSeconds * 1000);
      try {
        await engine.ping();
        resourceSource.docker = { engine, include: config.docker.include, exclude: config.docker.exclude };
      } catch (error) {
        notVisible.push(`Docker at ${describeEndpoint(endpoint)}: ${errorMessage(error)}; container CPU per window not read`);
      }
    }
    const readUse = async (): Promise<ResourceReading | null> => {
      try {
        return await readResources(resourceSource, resourceNotes);
      } catch (error) {
        // the engine stopped answering: go on with the host only
        resourceNotes.add(`Docker stopped answering (${errorMessage(error)}); container CPU not read from then on`);
        resourceSource.docker = null;
        return null;
      }
    };

    const snapshot = async (): Promise<Snapshot> => ({
      atMs: performance.now(),
      statements: pg && versionNum > 0 ? await readStatementCounters(pg, versionNum) : null,
      tables: pg ? await readTableCounters(pg) : null,
      redis: redis ? await readRedisCounters(redis) : null,
    });

    const { chosen, skipped: notChosen } = chooseDiagnosed(config);
    skipped.push(...notChosen);
    // the login first: its queries are traffic of ours too, and their counters settle with the earlier phase's
    const needsToken = chosen.some((endpoint) => endpoint.auth);
    const login = needsToken ? await loginToken(input) : { token: null, problem: null };
    // substituted values land in `secrets` and are never kept
    const context: RequestContext = { api: config.api, env: input.env, secrets: new Set(), token: login.token, signal };

    // Every before/after read waits for PostgreSQL to publish the table counters of the traffic before
    // it (settle.ts), so that no window receives the late counters of an earlier one.
    const horizonMs = pg ? publishHorizonMs(serverVersionNum) : 0;
    const session = pg;
    const othersMayHold = session ? () => otherBackendsMayHoldCounters(session, horizonMs) : undefined;
    const settle = (since: Snapshot | null, trafficEndedMs: number) => settledSnapshot(snapshot, { since, trafficEndedMs, horizonMs, othersMayHold, signal });
    const unsettled = (what: string, record: SettleRecord) => (record.settled ? [] : [`${what}: counters had not settled (${record.reason ?? 'deadline'}); confidence lowered`]);

    // the control window: whatever moves now is not ours (once the counters of the earlier phase and the login settled)
    // before the control window: its PINGs are ours, not background
    const redisRoundTripMs = redis ? await roundTripMs(redis) : null;
    const controlStart = await settle(null, performance.now());
    const controlBefore = controlStart.snapshot;
    // the resources and the application's connections with no traffic of ours: what is saturated now is background
    const controlUseBefore = await readUse();
    const { samples: controlSamples } = await sampleConnectionsDuring(pg, sleep(settings.controlSeconds * 1000, signal));
    const controlUseAfter = await readUse();
    const controlResources = controlUseBefore && controlUseAfter ? windowResources(controlUseBefore, controlUseAfter, IDLE_GENERATOR) : undefined;
    const controlConnections = pg ? connectionUse(controlSamples) : null;
    const causality: Causality = {
      control: { resources: controlResources, connections: controlConnections },
      ...(settings.containers ? { serving: settings.containers } : {}),
    };

    // no traffic of ours in the control window: nothing to wait for beyond the cross-check
    const controlEnd = await settle(controlBefore, Number.NEGATIVE_INFINITY);
    const controlAfter = controlEnd.snapshot;
    notVisible.push(...unsettled('control window', controlStart.record), ...unsettled('control window', controlEnd.record));
    const controlMs = controlAfter.atMs - controlBefore.atMs;
    const control = deltasOf(controlBefore, controlAfter);

    const driveable: EndpointConfig[] = [];
    for (const endpoint of chosen) {
      const name = endpointName(endpoint);
      const missing = missingVariables({ headers: endpoint.headers, body: endpoint.body }, input.env);
      if (missing.length > 0) skipped.push({ name, reason: `uses environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, not set` });
      else if (endpoint.auth && login.token === null) skipped.push({ name, reason: `needs the login token: ${login.problem ?? 'no token'}` });
      else driveable.push(endpoint);
    }
    const drive = async (endpoint: EndpointConfig, concurrency: number) => {
      const useBefore = await readUse();
      const driven = await sampleConnectionsDuring(
        pg,
        runClosed(
          { origin: base.origin, requests: [loadRequest(endpoint, context)], timeoutMs: config.api.timeoutSeconds * 1000, insecure: config.api.insecure },
          { concurrency, warmupMs: 0, durationMs: settings.secondsPerEndpoint * 1000, maxRequests: settings.requestsPerEndpoint, signal },
        ),
      );
      const endedMs = performance.now();
      const useAfter = await readUse();
      const resources = useBefore && useAfter ? windowResources(useBefore, useAfter, driven.result.generator) : undefined;
      return { ...driven, resources, useAfter, endedMs };
    };
    // The idle period after a window (its counters settling) is a second control: a host or container
    // still busy without our traffic was busy for someone else (another job that started during the
    // window), which the control window before all traffic cannot see.
    const idleAfter = async (useAfter: ResourceReading | null): Promise<WindowResources | undefined> => {
      if (!useAfter) return undefined;
      const idleMs = performance.now() - useAfter.atMs;
      if (idleMs < IDLE_AFTER_MIN_MS) await sleep(IDLE_AFTER_MIN_MS - idleMs, signal);
      const useIdle = await readUse();
      return useIdle ? windowResources(useAfter, useIdle, IDLE_GENERATOR) : undefined;
    };

    // First every endpoint's attribution window, back to back: each window's settled "after" is the
    // next one's "before". The scaling windows follow, after all of them: they read only
    // pg_stat_statements (counted at once), so they need no wait for table counters.
    const diagnosed: Array<{ endpoint: EndpointConfig; result: EndpointDiagnosis }> = [];
    let before = controlAfter;
    for (const endpoint of driveable) {
      const name = endpointName(endpoint);
      if (signal.aborted) {
        skipped.push({ name, reason: 'interrupted' });
        continue;
      }
      const { result: outcome, samples, resources, useAfter, endedMs } = await drive(endpoint, settings.concurrency);
      const end = await settle(before, endedMs);
      const resourcesAfter = await idleAfter(useAfter);
      const after = end.snapshot;
      const window = deltasOf(before, after);
      const windowMs = after.atMs - before.atMs;
      before = after;
      const scanned = [...window.tables].filter(([, delta]) => delta.seqScan > 0).map(([table]) => table);
      const indexedColumns = pg ? await readIndexedColumns(pg, scanned) : new Map<string, string[]>();
      const result = attributeWindow({
        name,
        method: endpoint.method,
        path: endpoint.path,
        requests: outcome.responses,
        errors: outcome.errors.total,
        windowMs,
        concurrency: settings.concurrency,
        latency: { p50Ms: outcome.latency.p50Ms, p95Ms: outcome.latency.p95Ms, meanMs: outcome.latency.meanMs },
        window,
        control,
        controlMs,
        observedPostgres: pg !== null && versionNum > 0,
        observedRedis: redis !== null,
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
      diagnosed.push({ endpoint, result });
    }

    // driven again with more users: does latency grow, and against which resource (database connections, a container's CPU limit, the host, the generator)?
    for (const { endpoint, result } of diagnosed) {
      if (settings.scalingConcurrency > settings.concurrency && !signal.aborted) {
        const statementsBefore = pg && versionNum > 0 ? await readStatementCounters(pg, versionNum) : null;
        const { result: step, samples: stepSamples, resources: stepResources } = await drive(endpoint, settings.scalingConcurrency);
        const requests = Math.max(step.responses, 1);
        let totalMs = 0;
        let calls = 0;
        if (pg && statementsBefore) {
          for (const delta of statementDelta(statementsBefore, await readStatementCounters(pg, versionNum)).values()) {
            totalMs += delta.totalMs;
            calls += delta.calls;
          }
        }
        result.scaling = {
          concurrency: settings.scalingConcurrency,
          requests: step.responses,
          errors: step.errors.total,
          latencyP95Ms: step.latency.p95Ms,
          latencyMeanMs: step.latency.meanMs,
          dbMsPerRequest: statementsBefore ? Math.round((totalMs / requests) * 1000) / 1000 : null,
          queriesPerRequest: statementsBefore ? Math.round((calls / requests) * 1000) / 1000 : null,
          connections: pg ? connectionUse(stepSamples) : null,
          ...(stepResources ? { resources: stepResources } : {}),
        };
      }
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
      background: backgroundRates(control, controlMs),
      controlCounters: { before: controlStart.record, after: controlEnd.record },
      control: {
        ...(controlResources ? { resources: controlResources } : {}),
        connections: controlConnections,
        saturated: saturatedIn({ concurrency: 0, latencyMeanMs: null, resources: controlResources, connections: controlConnections }, config.load.generator).filter((entry) => entry.resource !== 'generator'),
      },
      ...(settings.containers ? { servingContainers: [...settings.containers] } : {}),
      redisRoundTripMs,
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
