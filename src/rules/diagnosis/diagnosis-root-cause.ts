/**
 * The root cause of each slow endpoint, from the chain of evidence of its attribution window:
 * latency -> the database time its traffic caused -> the statement behind most of it -> the table
 * that statement reads sequentially (and whether its filter column has an index) -> the cache.
 * When nothing measured explains the time, the cause is "unknown" with what was seen.
 */
import type { EndpointDiagnosis, SaturatedResource } from '../../contracts/diagnosis.js';
import type { Finding, Severity } from '../../contracts/finding.js';
import type { IndexAdvice, QueryPlansMetrics } from '../../contracts/postgres.js';
import type { ApiMetrics } from '../../contracts/api.js';
import { defineRule, type FindingReport } from '../../contracts/rule.js';
import type { Thresholds } from '../thresholds.js';
import { endpointLevels, formatMs } from '../lib/api-levels.js';
import { adviceForStatement, describeAdvice, noAdviceReason } from '../lib/postgres-advice.js';
import { databasesWith } from '../lib/postgres-common.js';

/** The database explains an endpoint's time from this share of its mean latency. Design choice (issue 8): "most of the time". */
export const EXPLAINED_PERCENT = 50;
/** One statement is the cause from this share of the endpoint's database time. Design choice (issue 8): "most of the database time". */
export const DOMINANT_QUERY_PERCENT = 50;
/** A statement runs "on every request" from this many calls per request. Design choice: at least every other request calls it. */
export const EVERY_REQUEST_CALLS = 0.5;

/** A statement run this many times per request is repeated per item (N+1). Design choice (issue 8): a handful of queries per request is ordinary, five of the same statement is a loop. */
export const N_PLUS_ONE_CALLS = 5;
/** The repeated statement's calls per request match the rows another statement of the request returns within this fraction: one query per row. Design choice (issue 8). */
export const N_PLUS_ONE_MATCH = 0.25;

/** Mean latency grows at least this many times from the first window to the scaling window. Design choice (issue 8): clearly more than noise. */
export const LATENCY_GROWTH = 2;
/** The application's connections were all busy in at least this % of the samples of the scaling window. Design choice (issue 8): "most of the time". */
export const POOL_ALL_BUSY_PERCENT = 50;

/** A statement on every request that scans a table on an unindexed filter column is a cause from this much database time per request, even when the database is not most of the latency. Design choice: a millisecond per request is worth an index; below it the scan is noise next to the request. */
export const SCAN_CAUSE_MIN_MS = 1;

const count = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * The index advice for one statement on one table (verified first) from the plans that cover it;
 * else why none is recommended (the planner showed no index halves its cost, or its columns are
 * covered or read through an expression); both null when no plan covered the statement.
 */
export type AdviceLookup = (queryId: string, table: string) => { advice: IndexAdvice | null; reason: string | null };

export function adviceLookup(plans: ReadonlyArray<QueryPlansMetrics | null | undefined>): AdviceLookup {
  return (queryId, table) => {
    let reason: string | null = null;
    for (const queryPlans of plans) {
      if (!queryPlans) continue;
      const found = adviceForStatement({ queryPlans }, queryId).filter((advice) => advice.table === table);
      const best = found.find((advice) => advice.status === 'verified') ?? found[0];
      if (best) return { advice: best, reason: null };
      if (queryPlans.statements.some((statement) => statement.queryId === queryId)) reason ??= noAdviceReason({ queryPlans }, { queryId }, table);
    }
    return { advice: null, reason };
  };
}

/**
 * The fix of a scan cause: the index to add. The database phase's advice for the statement when it
 * planned it (the same CREATE INDEX, verified by the planner where HypoPG is installed), so that an
 * endpoint's cause and the database phase agree; else the filter columns no index starts with.
 */
export function missingIndexAdvice(
  table: string,
  unindexed: readonly string[],
  indexedColumns: readonly string[],
  planned: { advice: IndexAdvice | null; reason: string | null } = { advice: null, reason: null },
  queryId?: string,
): string {
  if (planned.advice) return `${describeAdvice(planned.advice, queryId)}.`;
  return (
    `Add an index on ${table} (${unindexed.join(', ')}): the query filters on ${unindexed.join(', ')} and no index of ${table} starts with ${unindexed.length > 1 ? 'them' : 'it'} ` +
    `(indexed: ${indexedColumns.join(', ') || 'none'})${planned.reason ? `; the planner's view: ${planned.reason}` : ''}; then check with EXPLAIN ANALYZE.`
  );
}

/** Where an endpoint's mean time per request goes: the database (pg_stat_statements), the cache (its commands times a Redis round trip) and the rest. null: not observed. */
export interface TimeBreakdown {
  meanMs: number;
  databaseMs: number | null;
  cacheMs: number | null;
  otherMs: number;
}

export function timeBreakdown(endpoint: EndpointDiagnosis, redisRoundTripMs: number | null | undefined): TimeBreakdown {
  const meanMs = endpoint.latencyMeanMs ?? endpoint.latencyP95Ms ?? 0;
  const databaseMs = endpoint.database ? endpoint.database.msPerRequest : null;
  const cacheMs = endpoint.redis && redisRoundTripMs !== null && redisRoundTripMs !== undefined ? endpoint.redis.commandsPerRequest * redisRoundTripMs : null;
  const round3 = (value: number) => Math.round(value * 1000) / 1000;
  return {
    meanMs: round3(meanMs),
    databaseMs: databaseMs === null ? null : round3(databaseMs),
    cacheMs: cacheMs === null ? null : round3(cacheMs),
    otherMs: round3(Math.max(0, meanMs - (databaseMs ?? 0) - (cacheMs ?? 0))),
  };
}

function breakdownText(breakdown: TimeBreakdown): string {
  const share = (value: number) => (breakdown.meanMs > 0 ? ` (${Math.min(100, (value / breakdown.meanMs) * 100).toFixed(0)} %)` : '');
  const part = (label: string, value: number | null, prefix = '') => (value === null ? `${label} not observed` : `${label} ${prefix}${formatMs(value)}${share(value)}`);
  return (
    `Where the time goes (mean ${formatMs(breakdown.meanMs)} per request): ${part('database', breakdown.databaseMs)}, ${part('cache', breakdown.cacheMs, 'about ')}, ` +
    `other ${formatMs(breakdown.otherMs)}${share(breakdown.otherMs)} (the application's own work, the network and waits).`
  );
}

/**
 * A statement run on (nearly) every request whose table is read sequentially on a filter column
 * no index starts with: the table's bare name appears in the statement.
 */
export function scanCause(database: NonNullable<EndpointDiagnosis['database']>) {
  for (const query of [...database.topQueries].sort((a, b) => b.msPerRequest - a.msPerRequest)) {
    if (query.callsPerRequest < EVERY_REQUEST_CALLS || query.msPerRequest < SCAN_CAUSE_MIN_MS) continue;
    const columns = filterColumns(query.query);
    for (const table of database.seqScannedTables) {
      const bare = table.table.split('.').pop()!.toLowerCase();
      if (!new RegExp(`\\b${bare}\\b`, 'i').test(query.query)) continue;
      const unindexed = columns.filter((column) => !table.indexedColumns.includes(column));
      if (unindexed.length > 0) return { query, table, unindexed };
    }
  }
  return null;
}

/** Columns compared with a parameter in a statement: `o.customer_id = $1` -> customer_id. */
export function filterColumns(query: string): string[] {
  const columns = new Set<string>();
  for (const match of query.matchAll(/(?:\b\w+\.)?"?(\w+)"?\s*=\s*\$\d+/g)) columns.add(match[1]!.toLowerCase());
  return [...columns];
}

type Query = NonNullable<EndpointDiagnosis['database']>['topQueries'][number];

/**
 * The statement run most often per request when it runs at least N_PLUS_ONE_CALLS times, with the
 * statement whose rows it follows (calls per request = that statement's rows per request), if any.
 */
export function nPlusOne(queries: readonly Query[]): { query: Query; driver: Query | null } | null {
  const query = [...queries].sort((a, b) => b.callsPerRequest - a.callsPerRequest)[0];
  if (!query || query.callsPerRequest < N_PLUS_ONE_CALLS) return null;
  const driver =
    queries.find((candidate) => {
      if (candidate === query || candidate.callsPerRequest < EVERY_REQUEST_CALLS || candidate.callsPerRequest >= query.callsPerRequest) return false;
      const rows = candidate.rowsPerCall * candidate.callsPerRequest;
      return rows > 0 && Math.abs(rows - query.callsPerRequest) <= N_PLUS_ONE_MATCH * query.callsPerRequest;
    }) ?? null;
  return { query, driver };
}

/**
 * A pool too small for the concurrency: at the higher concurrency the mean latency grew at least
 * LATENCY_GROWTH times while database time per request grew at most half as much, and the
 * application held fewer connections than concurrent requests, all busy most of the time.
 */
export function poolWait(endpoint: EndpointDiagnosis) {
  const step = endpoint.scaling;
  const connections = step?.connections;
  const mean = endpoint.latencyMeanMs;
  const db = endpoint.database;
  if (!step || !connections || !db || mean === null || mean <= 0 || step.latencyMeanMs === null || step.dbMsPerRequest === null) return null;
  if (step.concurrency <= endpoint.concurrency || connections.maxConnections >= step.concurrency) return null;
  const latencyGrowth = step.latencyMeanMs / mean;
  const dbGrowth = db.msPerRequest > 0 ? step.dbMsPerRequest / db.msPerRequest : Number.POSITIVE_INFINITY;
  if (latencyGrowth < LATENCY_GROWTH || dbGrowth > latencyGrowth / 2 || connections.allBusyPercent < POOL_ALL_BUSY_PERCENT) return null;
  return { step, connections, latencyGrowth, dbGrowth };
}

/** The login's password hashing as the API phase measured it, when it is most of the login (thresholds.loginHashSharePercent). */
interface LoginHashing {
  method: string;
  path: string;
  cost: number | null;
  costMs: number;
  cost10Ms: number | null;
  sharePercent: number;
}

function loginHashing(api: ApiMetrics | undefined, thresholds: Thresholds): LoginHashing | null {
  const login = api?.login;
  const bcrypt = login?.bcrypt;
  if (!login || !bcrypt || bcrypt.hashSharePercent === null || bcrypt.hashSharePercent <= thresholds.loginHashSharePercent.info) return null;
  const cost = bcrypt.configuredCost ?? bcrypt.consistentCost;
  const costMs = bcrypt.local.find((timing) => timing.cost === cost)?.ms ?? 0;
  return { method: login.method, path: login.path, cost, costMs, cost10Ms: bcrypt.local.find((timing) => timing.cost === 10)?.ms ?? null, sharePercent: bcrypt.hashSharePercent };
}

interface Explanation {
  severity: Severity;
  /** what removing the cause would save per request, an estimate made per cause (see each branch); the ranking key */
  savingMsPerRequest: number;
  finding: FindingReport;
}

const savingText = (ms: number) => ` Fixing it would save about ${formatMs(ms)} per request (estimate).`;

/** The resource of a kind saturated in the endpoint's windows, with its container reading when it is a container. */
function saturated(endpoint: EndpointDiagnosis, resource: SaturatedResource['resource']) {
  const entry = endpoint.saturation?.saturated.find((candidate) => candidate.resource === resource);
  if (!entry) return null;
  const window = entry.atConcurrency === endpoint.concurrency ? endpoint.resources : endpoint.scaling?.resources;
  const container = window?.containers.find((candidate) => candidate.name === entry.container) ?? null;
  return { entry, window: window ?? null, container };
}

function growthText(endpoint: EndpointDiagnosis): string {
  const saturation = endpoint.saturation;
  if (!saturation || saturation.latencyGrowth === null || saturation.toConcurrency === saturation.fromConcurrency) return '';
  return ` From ${saturation.fromConcurrency} to ${saturation.toConcurrency} users its mean latency grew ${saturation.latencyGrowth.toFixed(1)}x.`;
}

function confidenceText(endpoint: EndpointDiagnosis): string {
  const why =
    endpoint.confidence === 'high'
      ? `background activity ${endpoint.backgroundPercent} % of the window`
      : `background activity outside our traffic was ${endpoint.backgroundPercent} % of the window's database activity (control window), subtracted but uncertain`;
  const generator = endpoint.saturation?.saturated.find((entry) => entry.resource === 'generator');
  const ours = generator
    ? ` The load generator itself was saturated at ${generator.atConcurrency} users (${generator.value} ${generator.unit}): part of the latency there is ours.`
    : '';
  return `Confidence ${endpoint.confidence} (${why}; ${endpoint.requests} requests at ${endpoint.concurrency} users).${ours}`;
}

/** What every root-cause test reads: the endpoint's window, and the words and numbers its finding starts from. */
interface CauseInput {
  endpoint: EndpointDiagnosis;
  threshold: number;
  within: boolean;
  /** "GET /x (p95 ... in its window, above ...)": how each cause's message starts */
  head: string;
  p95: number;
  mean: number;
  db: EndpointDiagnosis['database'];
  redis: EndpointDiagnosis['redis'];
  top: Query | undefined;
  dbShare: number;
  /** the part of the latency the database does not explain (the CPU-bound causes) */
  outsideDb: number;
  dbExplainsOnly: string;
  evidenceOf: (metric: string, value: number, unit: string, limit: number) => Finding['evidence'];
  /** one cause: the finding, its message ending with the estimated saving (when there is one) and the confidence */
  cause: (saving: number, title: string, message: string, evidence: Finding['evidence'], recommendation: string) => Explanation;
  advice: AdviceLookup;
  /** a statement on every request scanning a table on an unindexed filter column (scanCause), or null */
  scan: ReturnType<typeof scanCause>;
  /** the login's own hashing when this endpoint is the login and above its target, else null */
  hashed: LoginHashing | null;
  /** what lowering the bcrypt cost to OWASP_MIN_BCRYPT_COST would save per request (0: nothing) */
  hashSaving: number;
}

/** bcrypt's minimum work factor. Source: OWASP Password Storage Cheat Sheet ("a work factor of 10 or more"). */
export const OWASP_MIN_BCRYPT_COST = 10;

function causeInput(
  endpoint: EndpointDiagnosis,
  severity: Severity,
  threshold: number,
  levelsSource: string,
  within: boolean,
  breakdown: TimeBreakdown,
  hashing: LoginHashing | null,
  advice: AdviceLookup,
): CauseInput {
  const p95 = endpoint.latencyP95Ms ?? 0;
  const mean = endpoint.latencyMeanMs ?? p95;
  const subject = `endpoint:${endpoint.name}`;
  const evidenceOf = (metric: string, value: number, unit: string, limit: number) => ({ metric: `diagnosis.endpoints[${endpoint.name}].${metric}`, value, unit, threshold: limit });
  const head = within
    ? `${endpoint.name} (p95 ${formatMs(p95)} in its window, within its target of ${formatMs(threshold)} of ${levelsSource})`
    : `${endpoint.name} (p95 ${formatMs(p95)} in its window, above ${formatMs(threshold)}, ${severity === 'info' ? 'target' : severity} level of ${levelsSource})`;
  const db = endpoint.database;
  const dbShare = db?.latencySharePercent ?? 0;
  const cause = (saving: number, title: string, message: string, evidence: Finding['evidence'], recommendation: string): Explanation => ({
    severity,
    savingMsPerRequest: saving,
    finding: {
      severity,
      subject,
      title: `${endpoint.name}: root cause ${title}`,
      message: `${message} ${breakdownText(breakdown)}${saving > 0 ? savingText(saving) : ''} ${confidenceText(endpoint)}`,
      evidence,
      recommendation,
      breakdown,
    },
  });
  // the login's own CPU: the API phase timed bcrypt on this host against the login (api-login-hashing)
  const hashed = hashing && !within && endpoint.method === hashing.method && endpoint.path === hashing.path ? hashing : null;
  // back to the minimum cost the hash takes cost10Ms: the difference is saved
  const hashSaving = hashed && hashed.cost !== null && hashed.cost > OWASP_MIN_BCRYPT_COST && hashed.cost10Ms !== null ? Math.max(0, hashed.costMs - hashed.cost10Ms) : 0;
  return {
    endpoint,
    threshold,
    within,
    head,
    p95,
    mean,
    db,
    redis: endpoint.redis,
    top: db?.topQueries[0],
    dbShare,
    outsideDb: Math.max(0, mean - (db?.msPerRequest ?? 0)),
    dbExplainsOnly: db
      ? `the database explains only ${formatMs(db.msPerRequest)} per request (${dbShare.toFixed(0)} % of its mean latency ${formatMs(mean)})`
      : `the database was not observed (mean latency ${formatMs(mean)})`,
    evidenceOf,
    cause,
    advice,
    scan: db ? scanCause(db) : null,
    hashed,
    hashSaving,
  };
}

/** Requests wait for a connection of the application's pool. Thresholds: LATENCY_GROWTH, POOL_ALL_BUSY_PERCENT (in poolWait). */
function poolWaitCause(input: CauseInput): Explanation | null {
  const { endpoint, head, mean, db, evidenceOf, cause } = input;
  const waiting = poolWait(endpoint);
  if (waiting) {
    const { step, connections, latencyGrowth, dbGrowth } = waiting;
    const stepMean = step.latencyMeanMs ?? 0;
    // a pool as large as the concurrency would bring the latency back to about the first window's: the growth is the wait
    const saving = Math.max(0, stepMean - mean);
    return cause(
      saving,
      `waiting for database connections (pool of ${connections.maxConnections})`,
      `${head}: from ${endpoint.concurrency} to ${step.concurrency} concurrent users its mean latency grew ${latencyGrowth.toFixed(1)}x (${formatMs(mean)} -> ${formatMs(stepMean)}) ` +
        `while its database time per request grew ${dbGrowth.toFixed(1)}x (${formatMs(db?.msPerRequest ?? 0)} -> ${formatMs(step.dbMsPerRequest ?? 0)}); ` +
        `pg_stat_activity showed the application "${connections.applicationName || '(no application_name)'}" with at most ${connections.maxConnections} connection${connections.maxConnections === 1 ? '' : 's'}, ` +
        `all busy in ${connections.allBusyPercent.toFixed(0)} % of ${connections.samples} samples: requests wait for a connection of its pool (at ${step.concurrency} users).`,
      evidenceOf('scaling.connections.maxConnections', connections.maxConnections, 'connections', step.concurrency),
      `Raise the application's database pool above ${connections.maxConnections} connection${connections.maxConnections === 1 ? '' : 's'} (e.g. to ${step.concurrency}, the concurrency tested; within the server's max_connections, or behind PgBouncer), ` +
        `or shorten the time each request holds a connection (${formatMs(step.dbMsPerRequest ?? 0)} of queries per request).`,
    );
  }
  return null;
}

/** One statement repeated per item (N+1). Thresholds: N_PLUS_ONE_CALLS, N_PLUS_ONE_MATCH (in nPlusOne). */
function nPlusOneCause(input: CauseInput): Explanation | null {
  const { head, mean, db, evidenceOf, cause } = input;
  const repeated = db ? nPlusOne(db.topQueries) : null;
  if (db && repeated) {
    const { query, driver } = repeated;
    const driverText = driver
      ? `, once per row of \`${driver.query}\` (${driver.callsPerRequest.toFixed(2)} calls per request returning ${driver.rowsPerCall} rows each): the count grows with the data`
      : '';
    // each call is a round trip: the part of the latency the repeated statement stands for, an estimate by its share of the request's queries
    const explained = db.queriesPerRequest > 0 ? Math.min(1, query.callsPerRequest / db.queriesPerRequest) * mean : query.msPerRequest;
    // batched, the calls become one: all but one call's share is saved
    const saving = explained * (1 - 1 / query.callsPerRequest);
    return cause(
      saving,
      'an N+1 query pattern',
      `${head}: its traffic runs ${db.queriesPerRequest.toFixed(1)} queries per request; one statement, \`${query.query}\`, runs ${query.callsPerRequest.toFixed(1)} times per request` +
        `${driverText} (${formatMs(query.msPerRequest)} of database time per request, ${query.rowsPerCall} rows per call, plus one round trip per call; mean latency ${formatMs(mean)}).`,
      evidenceOf(`database.topQueries[queryId=${query.queryId}].callsPerRequest`, query.callsPerRequest, 'calls/request', N_PLUS_ONE_CALLS),
      `Batch \`${query.query}\`: load the rows of all ${driver ? `${Math.round(driver.rowsPerCall)} items` : 'items'} in one query` +
        `${driver ? ` (a JOIN in \`${driver.query}\`, or` : ' ('} one \`... WHERE id = ANY($1)\` with the list of ids) instead of one query per item: ` +
        `${query.callsPerRequest.toFixed(0)} round trips per request become one.`,
    );
  }
  return null;
}

/** The database is most of the latency and one query most of the database time: a missing index, the cache, or the query itself. Thresholds: EXPLAINED_PERCENT, DOMINANT_QUERY_PERCENT, EVERY_REQUEST_CALLS. */
function dominantQueryCause(input: CauseInput): Explanation | null {
  const { endpoint, head, mean, db, redis, top, dbShare, evidenceOf, cause, advice } = input;
  if (db && top && dbShare >= EXPLAINED_PERCENT && top.sharePercent >= DOMINANT_QUERY_PERCENT) {
    const columns = filterColumns(top.query);
    const scanned = db.seqScannedTables[0];
    const parts: string[] = [
      `${head}: its traffic causes ${formatMs(db.msPerRequest)} of database time per request (${dbShare.toFixed(0)} % of its mean latency ${formatMs(mean)}, ${db.queriesPerRequest.toFixed(2)} queries per request); ` +
        `${top.sharePercent.toFixed(0)} % of it is one query, \`${top.query}\` (${top.callsPerRequest.toFixed(2)} calls and ${formatMs(top.msPerRequest)} per request)`,
    ];
    let recommendation: string;
    const unindexed = scanned ? columns.filter((column) => !scanned.indexedColumns.includes(column)) : [];
    if (scanned) {
      parts.push(`which reads ${count(scanned.rowsReadPerRequest)} rows of ${scanned.table} sequentially per request (${count(scanned.liveRows)} live rows, ${scanned.seqScans} sequential scans in the window)`);
    }
    const cacheMisses = redis !== null && redis.missesPerRequest >= EVERY_REQUEST_CALLS;
    if (cacheMisses) parts.push(`and Redis misses ${redis.missesPerRequest.toFixed(2)} lookups per request (hit ratio ${redis.hitRatioPercent ?? 0} %): the query runs because the cache misses`);
    else if (redis !== null && top.callsPerRequest >= EVERY_REQUEST_CALLS) {
      const commands = redis.commands.map((command) => `${command.command.toUpperCase()} ${command.perRequest.toFixed(2)}`).join(', ') || 'none';
      parts.push(`and it runs on every request while Redis sees ${redis.commandsPerRequest.toFixed(2)} commands per request (${commands}): its result is not served from the cache`);
    }
    if (scanned && unindexed.length > 0) {
      recommendation = missingIndexAdvice(scanned.table, unindexed, scanned.indexedColumns, advice(top.queryId, scanned.table), top.queryId);
    } else if (cacheMisses || (redis !== null && top.callsPerRequest >= EVERY_REQUEST_CALLS)) {
      recommendation =
        `Serve the result of this query from the cache (it runs ${top.callsPerRequest.toFixed(2)} times per request${scanned ? ` and reads ${count(scanned.rowsReadPerRequest)} rows of ${scanned.table} each time` : ''}): check that the cache is on and that its keys are written and live long enough` +
        `${scanned ? `; its scan of ${scanned.table} is not on an unindexed filter column (indexed: ${scanned.indexedColumns.join(', ') || 'none'}), so EXPLAIN ANALYZE it to find what scans (a subquery or an expression)` : ''}.`;
    } else {
      recommendation = `EXPLAIN (ANALYZE, BUFFERS) \`${top.query}\`: it is ${top.sharePercent.toFixed(0)} % of the database time of ${endpoint.name}${scanned ? ` and reads ${scanned.table} sequentially` : ''}; make it cheaper or call it less.`;
    }
    // an index or the cache takes the query (nearly) out of the request: its time is the saving
    const saving = top.msPerRequest;
    return cause(
      saving,
      scanned && unindexed.length > 0 ? `a missing index on ${scanned.table}` : recommendation.startsWith('Serve the result of this query from the cache') ? 'one query the cache does not serve' : 'one query',
      `${parts.join(', ')}.`,
      evidenceOf('database.topQueries[0].sharePercent', top.sharePercent, '%', DOMINANT_QUERY_PERCENT),
      recommendation,
    );
  }
  return null;
}

/** The login's password hashing when lowering its cost saves more than an index would: named before a saturated container or host, which it explains. Threshold: OWASP_MIN_BCRYPT_COST. */
function costlyHashingCause(input: CauseInput): Explanation | null {
  const { hashed, hashSaving, scan } = input;
  if (hashed && hashSaving > 0 && hashSaving > (scan?.query.msPerRequest ?? 0)) return hashingCause(input, hashed);
  return null;
}

/** A container at its CPU limit while the database explains little. Threshold: EXPLAINED_PERCENT (the saturation itself is judged in the collector). */
function cpuLimitCause(input: CauseInput): Explanation | null {
  const { endpoint, head, dbShare, outsideDb, dbExplainsOnly, evidenceOf, cause } = input;
  const limited = dbShare < EXPLAINED_PERCENT ? saturated(endpoint, 'container-cpu-limit') : null;
  if (limited) {
    const { entry, window, container } = limited;
    const name = entry.container ?? entry.subject;
    // doubling the limit halves the CPU-bound part at best: half the time outside the database
    const saving = outsideDb / 2;
    const use = container
      ? `it used ${container.cpuPercent ?? '?'} % CPU (100 % = one core), ${container.cpuLimitPercent ?? '?'} % of its limit of ${container.cpuLimitCores ?? '?'} core${container.cpuLimitCores === 1 ? '' : 's'}` +
        `${container.throttledPercent !== null ? `, throttled in ${container.throttledPercent} % of its CFS periods` : ''}`
      : `${entry.value} ${entry.unit}`;
    const host = window?.hostCpuPercent != null ? ` while the host's CPU was ${window.hostCpuPercent} % busy` : '';
    return cause(
      saving,
      `container ${name} at its CPU limit`,
      `${head}: root cause container ${name} at its CPU limit: during the window at ${entry.atConcurrency} users ${use}${host}; ${dbExplainsOnly}.${growthText(endpoint)}`,
      evidenceOf(entry.atConcurrency === endpoint.concurrency ? 'resources.containers.cpuLimitPercent' : 'scaling.resources.containers.cpuLimitPercent', entry.value, entry.unit, entry.limit),
      `Give container ${name} more CPU (\`docker update --cpus ${container?.cpuLimitCores ? container.cpuLimitCores * 2 : 2} ${name}\`, or deploy.resources.limits.cpus in compose) or run more replicas behind the load balancer; ` +
        `then profile what its requests spend CPU on (hashing, serialisation, templating).`,
    );
  }
  return null;
}

/** The host's CPU saturated while the database explains little, above the target only. Threshold: EXPLAINED_PERCENT. */
function hostCpuCause(input: CauseInput): Explanation | null {
  const { endpoint, head, dbShare, outsideDb, dbExplainsOnly, evidenceOf, cause, within } = input;
  // within its target a busy host is what a closed loop does to any CPU-bound service on it, not a cause worth naming (a container's quota is: it is configured)
  // and only when more users made it slower: a latency that did not grow from the first window to the
  // scaling one is not queueing for the CPU (e.g. a handler that waits), however busy other work keeps the host
  const growth = endpoint.saturation?.latencyGrowth;
  const slowedByLoad = growth === null || growth === undefined || endpoint.saturation!.toConcurrency === endpoint.saturation!.fromConcurrency || growth >= LATENCY_GROWTH;
  const hostBusy = dbShare < EXPLAINED_PERCENT && !within && slowedByLoad ? saturated(endpoint, 'host-cpu') : null;
  if (hostBusy) {
    const { entry, window } = hostBusy;
    const busiest = window?.containers[0];
    return cause(
      outsideDb / 2,
      "the host's CPU is saturated",
      `${head}: root cause the host's CPU: ${entry.value} % busy during the window at ${entry.atConcurrency} users` +
        `${busiest ? ` (busiest container ${busiest.name}, ${busiest.cpuPercent ?? '?'} % of one core)` : ''}` +
        `${window ? `, the load generator used ${window.generator.cpuPercent} % of one core of it` : ''}; ${dbExplainsOnly}.${growthText(endpoint)}`,
      evidenceOf('resources.hostCpuPercent', entry.value, entry.unit, entry.limit),
      `The machine has no CPU to spare: move work off it (the database, the load generator when testing), give it more cores, or make the requests cheaper; ` +
        `when perf-analyze runs on the same host, part of this load is its own.`,
    );
  }
  return null;
}

/** A statement on every request scanning a table on an unindexed filter column. Thresholds: EVERY_REQUEST_CALLS, SCAN_CAUSE_MIN_MS (in scanCause). */
function missingIndexCause(input: CauseInput): Explanation | null {
  const { head, mean, db, dbShare, evidenceOf, cause, advice, scan, hashed, hashSaving } = input;
  if (db && scan && !(hashed && hashSaving > scan.query.msPerRequest)) {
    const { query, table, unindexed } = scan;
    return cause(
      query.msPerRequest,
      `a missing index on ${table.table}`,
      `${head}: \`${query.query}\` runs ${query.callsPerRequest.toFixed(2)} times per request (${formatMs(query.msPerRequest)} of database time per request; ` +
        `all its database time is ${dbShare.toFixed(0)} % of its mean latency ${formatMs(mean)}) and reads ${count(table.rowsReadPerRequest)} rows of ${table.table} sequentially per request ` +
        `(${count(table.liveRows)} live rows): it filters on ${unindexed.join(', ')}, which no index of ${table.table} starts with.`,
      evidenceOf(`database.seqScannedTables[${table.table}].rowsReadPerRequest`, table.rowsReadPerRequest, 'rows/request', 0),
      missingIndexAdvice(table.table, unindexed, table.indexedColumns, advice(query.queryId, table.table), query.queryId),
    );
  }
  return null;
}

/** The login's password hashing at any cost, when nothing before it explained the time. */
function anyHashingCause(input: CauseInput): Explanation | null {
  return input.hashed ? hashingCause(input, input.hashed) : null;
}

/** The finding of a login whose time is its password hash. */
function hashingCause(input: CauseInput, found: LoginHashing): Explanation {
  const { endpoint, head, mean, dbExplainsOnly, evidenceOf, cause, hashSaving, threshold } = input;
  const { cost, costMs, sharePercent } = found;
  return cause(
    hashSaving,
    `password hashing (bcrypt${cost !== null ? ` cost ${cost}` : ''})`,
    `${head}: ${dbExplainsOnly}; a bcrypt hash${cost !== null ? ` at cost ${cost}` : ''} takes ${formatMs(costMs)} on this host, about ${Math.round(sharePercent)} % of the login ` +
      `(the API phase's login timings, rule api-login-hashing): the time is the password check, CPU-bound.${growthText(endpoint)}`,
    evidenceOf('latencyMeanMs', mean, 'ms', threshold),
    cost !== null && cost > OWASP_MIN_BCRYPT_COST
      ? `Lower the bcrypt cost from ${cost} to 10 (OWASP's minimum; rehash each password at its next login) or move to Argon2id with tuned parameters: each step of cost doubles the hash time.`
      : 'Hashing is already at the OWASP minimum: scale login capacity with cores, run hashing in a worker pool so it does not block other requests, and keep sessions long enough to avoid re-logins.',
  );
}

/** Nothing measured explains the time: what was seen, within the target or not. */
function unexplained(input: CauseInput): Explanation {
  const { endpoint, head, mean, db, redis, top, dbShare, evidenceOf, cause, threshold, within, p95 } = input;
  const seen: string[] = [];
  if (db) {
    seen.push(`the database explains ${formatMs(db.msPerRequest)} per request (${dbShare.toFixed(0)} % of its mean latency ${formatMs(mean)}, ${db.queriesPerRequest.toFixed(2)} queries per request)`);
    if (top) seen.push(`its largest query \`${top.query}\` is ${top.sharePercent.toFixed(0)} % of that`);
  } else seen.push('the database was not observed');
  if (redis) seen.push(`Redis ${redis.commandsPerRequest.toFixed(2)} commands per request, hit ratio ${redis.hitRatioPercent === null ? 'n/a' : `${redis.hitRatioPercent} %`}`);
  else seen.push('Redis was not observed');
  const resources = endpoint.resources;
  if (resources) {
    const busiest = resources.containers[0];
    seen.push(
      `host CPU ${resources.hostCpuPercent === null ? 'not read' : `${resources.hostCpuPercent} %`}` +
        (busiest ? `, busiest container ${busiest.name} at ${busiest.cpuPercent ?? '?'} % of one core${busiest.cpuLimitPercent !== null ? ` (${busiest.cpuLimitPercent} % of its limit)` : ''}` : ''),
    );
  }
  if (within) {
    return cause(
      0,
      'its own work (within target)',
      `${head}: nothing measured stands out; ${seen.join('; ')}.`,
      evidenceOf('latencyP95Ms', p95, 'ms', threshold),
      `Nothing to fix now: ${endpoint.name} is within its target. When it grows, the breakdown above says which part grew.`,
    );
  }
  // the host busy without our traffic too: part of the time outside the database is waiting for a CPU, which no profile of the handler finds
  const hostBusyAnyway = endpoint.saturation?.notCauses?.find((entry) => entry.resource === 'host-cpu');
  return cause(
    0,
    'unknown',
    `${head}: root cause unknown: nothing measured explains the time; ${seen.join('; ')}.` +
      (hostBusyAnyway ? ` The host's CPU was saturated without our traffic too: ${hostBusyAnyway.detail}; part of the time outside the database and Redis is waiting for a CPU.` : ''),
    evidenceOf('database.latencySharePercent', dbShare, '%', EXPLAINED_PERCENT),
    hostBusyAnyway
      ? `Run the diagnosis again when the host is not saturated by other work (its CPU was busy before and after our traffic), then profile the handler of ${endpoint.name} if the time outside the database and Redis remains.`
      : `The time of ${endpoint.name} is spent outside the database and Redis as seen from outside: profile its handler (CPU, event-loop blocking, calls to other services, sleeps or locks in the application).`,
  );
}

/** The root causes, tried in order: the first that explains the endpoint's time is its cause. */
const ROOT_CAUSES: ReadonlyArray<(input: CauseInput) => Explanation | null> = [
  poolWaitCause,
  nPlusOneCause,
  dominantQueryCause,
  costlyHashingCause,
  cpuLimitCause,
  // a scan on an unindexed filter column is CPU work the host spends too, and its index is a fix the
  // planner can verify: it is named before a saturated host
  missingIndexCause,
  hostCpuCause,
  anyHashingCause,
];

function explain(input: CauseInput): Explanation {
  for (const tryCause of ROOT_CAUSES) {
    const found = tryCause(input);
    if (found) return found;
  }
  return unexplained(input);
}

export const rule = defineRule({
  id: 'diagnosis-root-cause',
  component: 'api',
  category: 'api',
  description:
    'Where each driven endpoint\'s time goes (database, cache, other) and its dominant cause with the fix and the saving, from its attribution window: info within the latency target, the endpoint\'s level above it.',
  requires: ['diagnosis'],
  // the database phase's plans give index advice, the API phase's login its hashing cost: used when collected
  optional: ['postgres', 'api'],
  check(context) {
    const diagnosis = context.data.diagnosis;
    const explained: Explanation[] = [];
    // a scan cause's fix is the index advice: the diagnosis's own (its statements planned after the
    // windows), else the database phase's, which plans the same way
    const databasePlans = context.data.postgres ? (databasesWith(context.data.postgres, (database) => database.queryPlans) ?? []).map((entry) => entry.value) : [];
    const advice = adviceLookup([diagnosis.indexAdvice, ...databasePlans]);
    for (const endpoint of diagnosis.endpoints) {
      const p95 = endpoint.latencyP95Ms;
      if (p95 === null || endpoint.requests === 0) continue;
      const levels = endpointLevels({ path: endpoint.path, ...(endpoint.thresholds ? { thresholds: endpoint.thresholds } : {}) }, context.thresholds);
      // every driven endpoint gets its breakdown and dominant cause: info within the target, the endpoint's level above it
      const severity: Severity = p95 > levels.critical ? 'critical' : p95 > levels.warning ? 'warning' : 'info';
      const within = severity === 'info' && p95 <= levels.target;
      const threshold = severity === 'critical' ? levels.critical : severity === 'warning' ? levels.warning : levels.target;
      explained.push(explain(causeInput(endpoint, severity, threshold, levels.source, within, timeBreakdown(endpoint, diagnosis.redisRoundTripMs), loginHashing(context.data.api, context.thresholds), advice)));
    }
    // ranked by the time per request removing the cause would save
    explained.sort((a, b) => b.savingMsPerRequest - a.savingMsPerRequest);
    for (const entry of explained) context.report({ ...entry.finding, estimatedSavingMsPerRequest: Math.round(entry.savingMsPerRequest * 1000) / 1000 });
  },
});
