/**
 * The cross-layer diagnosis (issue 8): a control window with no traffic of ours (the background),
 * then each GET endpoint driven alone for a short, bounded window (closed model, a few users),
 * with PostgreSQL and Redis counters read before and after. The deltas, background subtracted,
 * are what that endpoint's traffic caused.
 */
import type { CollectorResult } from '../../contracts/collector.js';
import type { DiagnosisMetrics, EndpointDiagnosis } from '../../contracts/diagnosis.js';
import type { Config } from '../../config/schema.js';
import type { Ports } from '../../ports/index.js';
import { realPostgresPort } from '../../ports/postgres.js';
import { runClosed, type LoadRequest } from '../../load/engine.js';
import { substituteVariables } from '../../config/env-template.js';
import { postgresTargets } from '../postgres/index.js';
import { sessionOptions } from '../postgres/collector.js';
import { CountingSession, explain } from '../postgres/session.js';
import { statStatementsState } from '../postgres/statements.js';
import { DEFAULT_ENDPOINTS } from '../api/index.js';
import { endpointName } from '../api/endpoints.js';
import { tokenAt } from '../api/jwt.js';
import { authHeader, loginRequest, type ApiSession, type EndpointConfig } from '../api/request.js';
import { attributeWindow, backgroundRates, deltasOf, statementDelta } from './attribute.js';
import { OWN_TAG, readIndexedColumns, readRedisCounters, readStatementCounters, readTableCounters, type Snapshot } from './snapshot.js';
import type { RedisSession } from '../../ports/redis.js';
import { connectionUse, sampleConnectionsDuring } from './connections.js';

/**
 * PostgreSQL 15+ backends flush their table counters (pg_stat_user_tables) at most once a second
 * (PGSTAT_MIN_INTERVAL, 1000 ms; 500 ms for the stats collector before 15); pg_stat_statements is
 * updated at once. A window's "after" snapshot waits this long so late counters land in it.
 */
export const STATS_SETTLE_MS = 1100;

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

function loadRequest(endpoint: EndpointConfig, basePath: string, env: NodeJS.ProcessEnv, auth: Record<string, string>): LoadRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(substituteVariables(endpoint.headers, env, new Set()))) headers[name.toLowerCase()] = value;
  if (endpoint.auth) Object.assign(headers, auth);
  const expected = Array.isArray(endpoint.expectedStatus) ? endpoint.expectedStatus : [endpoint.expectedStatus];
  return { method: 'GET', path: `${basePath}${endpoint.path}`, headers, expectedStatus: expected };
}

export async function collectDiagnosis(input: DiagnosisInput): Promise<CollectorResult<DiagnosisMetrics>> {
  const { config, signal } = input;
  const settings = config.diagnosis;
  const base = new URL(config.api.baseUrl as string);
  const basePath = base.pathname.replace(/\/+$/, '');
  const notVisible: string[] = [];
  const skipped: DiagnosisMetrics['skipped'] = [];

  let pg: CountingSession | null = null;
  let versionNum = 0;
  let redis: RedisSession | null = null;
  const target = postgresTargets(config)[0];
  try {
    if (target) {
      try {
        pg = new CountingSession(await (input.ports.postgres ?? realPostgresPort).connect(target.url, sessionOptions(config)));
        const state = await statStatementsState(pg);
        if (!state.installed || !state.loaded) {
          notVisible.push(
            `pg_stat_statements is not ${state.loaded ? 'installed in database ' + target.name : 'loaded'}: ` +
              `CREATE EXTENSION pg_stat_statements (and shared_preload_libraries = 'pg_stat_statements'); database time per query not attributed`,
          );
        }
        const [row] = await pg.query<{ v: string }>(`/* ${OWN_TAG} */ select current_setting('server_version_num') as v`);
        versionNum = Number(row?.v ?? 0);
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
        notVisible.push(`Redis: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!pg && !redis) throw new Error(`neither PostgreSQL nor Redis could be observed: ${notVisible.join('; ')}`);

    const snapshot = async (): Promise<Snapshot> => ({
      atMs: performance.now(),
      statements: pg && versionNum > 0 ? await readStatementCounters(pg, versionNum) : null,
      tables: pg ? await readTableCounters(pg) : null,
      redis: redis ? await readRedisCounters(redis) : null,
    });

    // the control window: whatever moves now is not ours (after the counters of earlier traffic settle)
    await sleep(STATS_SETTLE_MS, signal);
    const controlBefore = await snapshot();
    await sleep(settings.controlSeconds * 1000, signal);
    const controlAfter = await snapshot();
    const controlMs = controlAfter.atMs - controlBefore.atMs;
    const control = deltasOf(controlBefore, controlAfter);

    const endpoints = config.api.endpoints.length === 0 ? DEFAULT_ENDPOINTS : config.api.endpoints;
    const needsToken = endpoints.some((endpoint) => endpoint.method === 'GET' && endpoint.auth);
    const login = needsToken ? await loginToken(input) : { token: null, problem: null };
    const auth = login.token !== null ? authHeader({ api: config.api, token: login.token } as ApiSession) : {};

    const diagnosed: EndpointDiagnosis[] = [];
    for (const endpoint of endpoints) {
      const name = endpointName(endpoint);
      if (endpoint.method !== 'GET') {
        skipped.push({ name, reason: `${endpoint.method}: only GET endpoints are driven` });
        continue;
      }
      if (endpoint.auth && login.token === null) {
        skipped.push({ name, reason: `needs the login token: ${login.problem ?? 'no token'}` });
        continue;
      }
      if (signal.aborted) {
        skipped.push({ name, reason: 'interrupted' });
        continue;
      }
      const drive = (concurrency: number) =>
        sampleConnectionsDuring(
          pg,
          runClosed(
            { origin: base.origin, requests: [loadRequest(endpoint, basePath, input.env, auth)], timeoutMs: config.api.timeoutSeconds * 1000, insecure: config.api.insecure },
            { concurrency, warmupMs: 0, durationMs: settings.secondsPerEndpoint * 1000, maxRequests: settings.requestsPerEndpoint, signal },
          ),
        );
      const before = await snapshot();
      const { result: outcome, samples } = await drive(settings.concurrency);
      if (pg) await sleep(STATS_SETTLE_MS, signal);
      const after = await snapshot();
      const window = deltasOf(before, after);
      const scanned = [...window.tables].filter(([, delta]) => delta.seqScan > 0).map(([table]) => table);
      const indexedColumns = pg ? await readIndexedColumns(pg, scanned) : new Map<string, string[]>();
      const result = attributeWindow({
          name,
          method: 'GET',
          path: endpoint.path,
          requests: outcome.responses,
          errors: outcome.errors.total,
          windowMs: after.atMs - before.atMs,
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
      if (pg) result.connections = connectionUse(samples);
      // an endpoint that queries the database, driven again with more users: does latency grow while database time does not?
      if (pg && versionNum > 0 && result.database && result.database.queriesPerRequest >= 0.5 && settings.scalingConcurrency > settings.concurrency && !signal.aborted) {
        const statementsBefore = await readStatementCounters(pg, versionNum);
        const { result: step, samples: stepSamples } = await drive(settings.scalingConcurrency);
        const statements = statementDelta(statementsBefore, await readStatementCounters(pg, versionNum));
        const requests = Math.max(step.responses, 1);
        let totalMs = 0;
        let calls = 0;
        for (const delta of statements.values()) {
          totalMs += delta.totalMs;
          calls += delta.calls;
        }
        result.scaling = {
          concurrency: settings.scalingConcurrency,
          requests: step.responses,
          errors: step.errors.total,
          latencyP95Ms: step.latency.p95Ms,
          latencyMeanMs: step.latency.meanMs,
          dbMsPerRequest: Math.round((totalMs / requests) * 1000) / 1000,
          queriesPerRequest: Math.round((calls / requests) * 1000) / 1000,
          connections: connectionUse(stepSamples),
        };
      }
      diagnosed.push(endpoint.thresholds ? { ...result, thresholds: { ...endpoint.thresholds } } : result);
    }
    const data: DiagnosisMetrics = {
      observed: [...(pg && versionNum > 0 ? ['postgres'] : []), ...(redis ? ['redis'] : [])],
      background: backgroundRates(control, controlMs),
      endpoints: diagnosed,
      skipped,
      limits: {
        secondsPerEndpoint: settings.secondsPerEndpoint,
        requestsPerEndpoint: settings.requestsPerEndpoint,
        concurrency: settings.concurrency,
        controlSeconds: settings.controlSeconds,
      },
      notVisible,
    };
    return signal.aborted ? { data, partial: 'interrupted: the endpoints diagnosed so far are kept' } : { data };
  } finally {
    await pg?.close();
    await redis?.close();
  }
}
