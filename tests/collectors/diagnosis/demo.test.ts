/**
 * The cross-layer diagnosis against the demo app with injected faults (real PostgreSQL, Redis and
 * app processes; each app gets its own database). The profile endpoint has its own low thresholds
 * (20 ms) so that the demo data set makes it "slow" with a fault and fast without.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { configSchema } from '../../../src/config/schema.js';
import { collectDiagnosis } from '../../../src/collectors/diagnosis/index.js';
import type { DiagnosisMetrics } from '../../../src/contracts/diagnosis.js';
import type { Finding } from '../../../src/contracts/finding.js';
import { DEMO_CREDENTIALS, demoApiConfig, demoEnvironment, startDemoStack, type DemoStack } from '../../../src/demo/index.js';
import type { TargetAppFaults } from '../../../src/demo/target-app.js';
import { realPorts } from '../../../src/ports/index.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { HYPOPG_INSTALLED } from '../../support/postgres-server.js';

let stack: DemoStack;
beforeAll(async () => {
  stack = await startDemoStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
}, 30_000);

const PROFILE = 'GET /api/v1/user/profile';

const ORDERS = 'GET /api/v1/user/orders';
type EndpointInput = { path: string; method?: string; name?: string; body?: unknown; auth?: boolean; thresholds?: { warningMs?: number; criticalMs?: number } };
const DEFAULT_ENDPOINTS: EndpointInput[] = [{ path: '/health' }, { path: '/api/v1/user/profile', auth: true, thresholds: { warningMs: 20, criticalMs: 10_000 } }];

async function diagnose(
  faults: TargetAppFaults,
  during?: (databaseUrl: string) => () => Promise<void>,
  endpoints: EndpointInput[] = DEFAULT_ENDPOINTS,
  diagnosis: Record<string, unknown> = {},
) {
  const app = await stack.startApp({ bcryptCost: 4, ...faults }, { seedUsers: 40_000 });
  const api = demoApiConfig(app.url);
  const config = configSchema.parse({
    api: {
      ...api,
      endpoints,
    },
    database: { url: app.databaseUrl },
    redis: { url: app.redisUrl },
    diagnosis: { enabled: true, secondsPerEndpoint: 1.5, controlSeconds: 1, requestsPerEndpoint: 200, ...diagnosis },
  });
  const stop = during?.(app.databaseUrl);
  try {
    const result = await collectDiagnosis({ config, ports: realPorts(), env: demoEnvironment(), signal: new AbortController().signal });
    const { findings } = evaluateRules({ diagnosis: { status: 'ok', durationMs: 0, data: result.data } }, mergeThresholds(config.thresholds));
    return { data: result.data, findings: findings.filter((finding) => finding.ruleId === 'diagnosis-root-cause') };
  } finally {
    await stop?.();
    // each case has its own app (and database): the next case runs without this one beside it
    await app.stop();
  }
}

/** The finding's title contains `text`; when it does not, the failure shows the whole finding (what was seen). */
function expectTitle(finding: { title: string }, text: string): void {
  if (!finding.title.includes(text)) throw new Error(`title without "${text}"; the finding: ${JSON.stringify(finding, null, 1)}`);
}

const profileOf = (data: DiagnosisMetrics) => data.endpoints.find((endpoint) => endpoint.name === PROFILE)!;
const aboveInfo = (findings: Finding[]) => findings.filter((finding) => finding.severity !== 'info');

describe('cross-layer diagnosis on the demo stack', () => {
  it('no fault: the cached profile causes no database time, the orders one JOIN, nothing above info', async () => {
    const { data, findings } = await diagnose({}, undefined, [...DEFAULT_ENDPOINTS, { path: '/api/v1/user/orders', auth: true }]);
    const orders = data.endpoints.find((endpoint) => endpoint.name === ORDERS)!;
    expect(orders.database!.queriesPerRequest).toBeGreaterThan(0.9);
    expect(orders.database!.queriesPerRequest).toBeLessThan(1.5);
    expect(findings.filter((finding) => finding.title.includes('N+1'))).toEqual([]);
    expect(data.observed).toEqual(expect.arrayContaining(['postgres', 'redis']));
    const profile = profileOf(data);
    expect(profile.requests).toBeGreaterThan(20);
    expect(profile.database!.queriesPerRequest).toBeLessThan(0.2);
    expect(profile.redis!.hitRatioPercent).toBeGreaterThan(90);
    expect(aboveInfo(findings)).toEqual([]);
  }, 120_000);

  it('missing index: names the query and the table, recommends the index on the filter column', async () => {
    // a low threshold: whether the profile counts as slow must not depend on how busy the machine is
    const { data, findings } = await diagnose({ missingIndex: true, cacheOff: true }, undefined, [
      { path: '/health' },
      { path: '/api/v1/user/profile', auth: true, thresholds: { warningMs: 2, criticalMs: 10_000 } },
    ]);
    const profile = profileOf(data);
    expect(profile.database!.queriesPerRequest).toBeGreaterThan(0.9);
    expect(profile.database!.topQueries[0]!.query).toMatch(/FROM users u WHERE u\.email = \$1/);
    expect(profile.database!.seqScannedTables[0]).toMatchObject({ table: 'public.users' });
    expect(profile.database!.seqScannedTables[0]!.indexedColumns).not.toContain('email');
    // up to two scans per request (the lookup and the statistic; a backend may flush its counters late); none leaks into the next window
    const scans = profile.database!.seqScannedTables[0]!.seqScans / profile.requests;
    expect(scans).toBeGreaterThan(1);
    expect(scans).toBeLessThan(2.5);
    expect(data.endpoints.find((endpoint) => endpoint.name === 'GET /health')!.database!.seqScannedTables).toEqual([]);
    const finding = findings.find((candidate) => candidate.subject === `endpoint:${PROFILE}`)!;
    expect(finding.severity).toBe('warning');
    expectTitle(finding, 'missing index on public.users');
    expect(finding.message).toContain('public.users');
    // the index on email, from the index advice: verified by the planner where HypoPG is installed
    // (as in CI). The profile's query also counts the users of the same domain (a scan through
    // split_part(email, ...)), so the saving of the email index alone sits near the planner's
    // halving rule and ANALYZE's sample decides: the advice is either verified or "Add an index"
    // with the planner's costs and the expression; both name the index.
    expect(finding.recommendation).toContain('CREATE INDEX CONCURRENTLY ON public.users (email)');
    if (HYPOPG_INSTALLED) expect(finding.recommendation).toMatch(/with a hypothetical index \(HypoPG|the planner's view: no one- or two-column index cut its planner cost by half/);
    expect(finding.message).toContain('Confidence high');
  }, 120_000);

  it('cache off: the query runs on every request, not served from the cache; the index exists so no index is asked for', async () => {
    // with the index in place the profile is fast on an idle machine: a low threshold keeps it "slow"
    // whatever the machine's load, so the test is about the cause, not the speed
    const { data, findings } = await diagnose({ cacheOff: true }, undefined, [
      { path: '/health' },
      { path: '/api/v1/user/profile', auth: true, thresholds: { warningMs: 2, criticalMs: 10_000 } },
    ]);
    const profile = profileOf(data);
    expect(profile.database!.topQueries[0]!.callsPerRequest).toBeGreaterThan(0.9);
    expect(profile.database!.seqScannedTables[0]!.indexedColumns).toContain('email');
    const finding = findings.find((candidate) => candidate.subject === `endpoint:${PROFILE}`)!;
    expect(finding.severity).toBe('warning');
    if (finding.title === `${PROFILE}: root cause unknown` && profile.saturation?.notCauses?.some((entry) => entry.resource === 'host-cpu')) {
      // a host saturated by other work (seen in CI beside other suites and a CPU hog: the query 45 % of the
      // time, the rest waiting for a CPU) gives no cause, and says why instead of sending the user to profile
      expect(finding.message).toContain("The host's CPU was saturated without our traffic too");
      expect(finding.recommendation).toMatch(/^Run the diagnosis again when the host is not saturated/);
      return;
    }
    expectTitle(finding, `${PROFILE}: root cause one query the cache does not serve`);
    expect(finding.message).toMatch(/not served from the cache/);
    expect(finding.recommendation).toMatch(/^Serve the result of this query from the cache/);
    expect(finding.recommendation).not.toContain('Add an index');
  }, 120_000);

  it('N+1: one query per order, its count following the rows of the orders query; names it and says to batch it', async () => {
    const { data, findings } = await diagnose({ nPlusOne: true }, undefined, [{ path: '/api/v1/user/orders', auth: true, thresholds: { warningMs: 2, criticalMs: 10_000 } }]);
    const orders = data.endpoints.find((endpoint) => endpoint.name === ORDERS)!;
    // 40 orders of the demo user: 1 + 40 queries per request
    expect(orders.database!.queriesPerRequest).toBeGreaterThan(35);
    const perItem = orders.database!.topQueries.find((query) => /FROM products WHERE id = \$1/.test(query.query))!;
    expect(perItem.callsPerRequest).toBeGreaterThan(35);
    expect(perItem.callsPerRequest).toBeLessThan(45);
    const finding = findings.find((candidate) => candidate.subject === `endpoint:${ORDERS}`)!;
    expectTitle(finding, 'N+1');
    expect(finding.message).toContain('SELECT name, price_cents FROM products WHERE id = $1');
    expect(finding.message).toMatch(/once per row of `SELECT id, product_id, quantity, created_at FROM orders WHERE user_id = \$1/);
    expect(finding.message).toMatch(/returning 40 rows each/);
    expect(finding.recommendation).toMatch(/^Batch `SELECT name, price_cents FROM products WHERE id = \$1`/);
    expect(finding.recommendation).toContain('WHERE id = ANY($1)');
    expect(finding.recommendation).toContain('JOIN');
  }, 120_000);

  it('pool too small: latency grows with the users while database time per request does not; names the pool size seen', async () => {
    const { data, findings } = await diagnose({ cacheOff: true, poolMax: 1 }, undefined, [{ path: '/api/v1/user/profile', auth: true, thresholds: { warningMs: 2, criticalMs: 10_000 } }], {
      scalingConcurrency: 8,
    });
    const profile = profileOf(data);
    expect(profile.scaling!.concurrency).toBe(8);
    expect(profile.scaling!.connections!.maxConnections).toBe(1);
    const finding = findings.find((candidate) => candidate.subject === `endpoint:${PROFILE}`)!;
    expectTitle(finding, 'waiting for database connections (pool of 1)');
    expect(finding.message).toContain('"demo-target-app" with at most 1 connection,');
    expect(finding.recommendation).toMatch(/^Raise the application's database pool above 1 connection/);
  }, 120_000);

  it('a pool of 10 at the same concurrencies: not waiting for connections', async () => {
    const { data, findings } = await diagnose({ cacheOff: true }, undefined, [{ path: '/api/v1/user/profile', auth: true, thresholds: { warningMs: 20, criticalMs: 10_000 } }], {
      scalingConcurrency: 8,
    });
    expect(profileOf(data).scaling!.connections!.maxConnections).toBeGreaterThan(1);
    expect(findings.filter((finding) => finding.title.includes('waiting for database connections'))).toEqual([]);
  }, 120_000);

  it('latency injected in the handler: root cause unknown, with what was seen', async () => {
    const { findings } = await diagnose({ latencyMs: 30, latencyPaths: ['/api/v1/user/profile'] });
    const finding = findings.find((candidate) => candidate.subject === `endpoint:${PROFILE}`)!;
    expectTitle(finding, 'root cause unknown');
    expect(finding.message).toMatch(/the database explains .* per request/);
  }, 120_000);

  it('a POST endpoint named in diagnosis.endpoints is driven with its body; the endpoints not named are listed as skipped', async () => {
    const login = { name: 'login', method: 'POST', path: '/api/v1/auth/jwt/login', body: { username: '${PERF_DEMO_USER}', password: '${PERF_DEMO_PASSWORD}' } };
    const { data } = await diagnose({ bcryptCost: 4 }, undefined, [{ path: '/health' }, login], { endpoints: ['login'], scalingConcurrency: 0 });
    expect(data.endpoints.map((endpoint) => [endpoint.name, endpoint.method])).toEqual([['login', 'POST']]);
    const driven = data.endpoints[0]!;
    // every login checks the password in PostgreSQL and stores a session in Redis: our body reached the app
    expect(driven.requests).toBeGreaterThan(10);
    expect(driven.errors).toBe(0);
    expect(driven.database!.queriesPerRequest).toBeGreaterThan(0.9);
    expect(driven.redis!.commandsPerRequest).toBeGreaterThan(0.9);
    expect(data.skipped).toEqual([{ name: 'GET /health', reason: 'not named in diagnosis.endpoints' }]);
    // the credentials substituted into the body are nowhere in the result
    expect(JSON.stringify(data)).not.toContain(DEMO_CREDENTIALS.password);
  }, 120_000);

  it('background activity (another process querying the database) lowers the confidence, not the answer', async () => {
    const { data, findings } = await diagnose({ missingIndex: true, cacheOff: true }, (databaseUrl) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      let running = true;
      const loop = (async () => {
        await client.connect();
        while (running) await client.query("SELECT count(*) FROM users WHERE bio LIKE '%zz%'");
        await client.end();
      })();
      return async () => {
        running = false;
        await loop;
      };
    });
    const profile = profileOf(data);
    expect(data.background.dbMsPerSecond).toBeGreaterThan(10);
    expect(profile.confidence).not.toBe('high');
    const finding = findings.find((candidate) => candidate.subject === `endpoint:${PROFILE}`)!;
    expectTitle(finding, 'missing index on public.users');
    expect(finding.message).toMatch(/Confidence (medium|low)/);
  }, 120_000);
});
