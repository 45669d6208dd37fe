/**
 * The API collector against the demo target app with injected faults (real PostgreSQL, Redis and
 * app processes; each app gets its own database). Timing assertions use generous ratios.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_CREDENTIALS, demoApiConfig, demoEnvironment, startDemoStack, type DemoStack } from '../../../src/demo/index.js';
import type { TargetAppFaults } from '../../../src/demo/target-app.js';
import { analyse } from './support.js';

const SEED_USERS = 20_000;
let stack: DemoStack;

beforeAll(async () => {
  stack = await startDemoStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

async function appUrl(faults: TargetAppFaults): Promise<string> {
  const app = await stack.startApp(faults, { seedUsers: SEED_USERS });
  return app.url;
}

const env = demoEnvironment();
const fast = { samples: 12, warmup: 2 } as const;
const lightLogin = (api: ReturnType<typeof demoApiConfig>) => ({
  ...api,
  ...fast,
  login: { ...api.login, samples: 4, concurrency: [1, 2], loginsPerLevel: 2 },
});

describe('API collector against the demo app', () => {
  it('measures the healthy app: endpoints, login, token, validation cost, session reuse, no secret in the artifact', async () => {
    const url = await appUrl({ bcryptCost: 10 });
    const { metrics, findings } = await analyse(lightLogin(demoApiConfig(url)), env);
    expect(metrics.reachable).toBe(true);
    expect(metrics.endpoints.map((endpoint) => endpoint.name)).toEqual(['GET /health', 'GET /api/v1/user/profile', 'GET /api/v1/performance/health']);
    for (const endpoint of metrics.endpoints) {
      expect(endpoint.requests).toBe(12);
      expect(endpoint.statusCodes).toEqual({ '200': 12 });
      expect(endpoint.latency.p50Ms).toBeGreaterThan(0);
      expect(endpoint.latency.p95Ms!).toBeGreaterThanOrEqual(endpoint.latency.p50Ms!);
    }
    const login = metrics.login!;
    expect(login.tokenFound).toBe(true);
    expect(login.token).toMatchObject({ format: 'jwt', alg: 'HS256', lifetimeSeconds: 3600 });
    expect(login.token!.claims).toContain('exp');
    expect(login.sessionReuse).toMatchObject({ accepted: true, statuses: [200, 200] });
    expect(['GET /health', 'GET /api/v1/performance/health']).toContain(login.validationCost?.unauthenticatedEndpoint);
    expect(login.authEndToEnd?.samples).toBe(4);
    expect(login.throughput.map((level) => level.concurrency)).toEqual([1, 2]);
    expect(login.bcrypt?.local[0]?.cost).toBe(10);
    expect(findings.filter((finding) => finding.severity === 'critical')).toEqual([]);
    const serialised = JSON.stringify({ metrics, findings });
    expect(serialised).not.toContain(DEMO_CREDENTIALS.password);
  }, 60_000);

  it('names a slow endpoint with its subject', async () => {
    const url = await appUrl({ bcryptCost: 10, latencyMs: 900, latencyPaths: ['/api/v1/user/profile'] });
    const api = { ...demoApiConfig(url), samples: 4, warmup: 0, login: { ...demoApiConfig(url).login, samples: 1, concurrency: [1], loginsPerLevel: 1 } };
    const { findings } = await analyse(api, env);
    const slow = findings.find((finding) => finding.ruleId === 'api-endpoint-latency' && finding.severity === 'warning');
    expect(slow?.subject).toBe('endpoint:GET /api/v1/user/profile');
    expect(slow?.evidence.threshold).toBe(800);
    expect(findings.some((finding) => finding.ruleId === 'api-endpoint-latency' && finding.subject === 'endpoint:GET /health')).toBe(false);
  }, 60_000);

  it('measures an injected error rate within a point', async () => {
    const url = await appUrl({ errorRate: 0.1, errorPaths: ['/health'] });
    const { metrics, findings } = await analyse({ baseUrl: url, samples: 200, warmup: 0, endpoints: [{ path: '/health' }] });
    const health = metrics.endpoints[0]!;
    expect(Math.abs(health.errorRatePercent - 10)).toBeLessThanOrEqual(1);
    expect(health.statusCodes['500']).toBeGreaterThan(0);
    const finding = findings.find((candidate) => candidate.ruleId === 'api-error-rate');
    expect(finding).toMatchObject({ severity: 'critical', subject: 'endpoint:GET /health' });
  }, 60_000);

  it('the cache-off profile is slower than the cached one', async () => {
    const cachedUrl = await appUrl({});
    const uncachedUrl = await appUrl({ cacheOff: true });
    const profileOnly = (url: string) => ({
      ...demoApiConfig(url),
      samples: 30,
      warmup: 3,
      endpoints: [{ path: '/health' }, { path: '/api/v1/user/profile', auth: true }],
      login: { ...demoApiConfig(url).login, samples: 1, concurrency: [1], loginsPerLevel: 1 },
    });
    const cached = await analyse(profileOnly(cachedUrl), env);
    const uncached = await analyse(profileOnly(uncachedUrl), env);
    const p50 = (result: typeof cached) => result.metrics.endpoints.find((endpoint) => endpoint.path === '/api/v1/user/profile')!.latency.p50Ms!;
    expect(p50(uncached)).toBeGreaterThan(p50(cached) * 1.5);
  }, 60_000);

  it('tells bcrypt cost 12 from cost 10', async () => {
    const url10 = await appUrl({ bcryptCost: 10 });
    const url12 = await appUrl({ bcryptCost: 12 });
    const loginOnly = (url: string) => ({
      ...demoApiConfig(url),
      samples: 5,
      warmup: 1,
      endpoints: [{ path: '/health' }],
      login: { ...demoApiConfig(url).login, samples: 4, concurrency: [1], loginsPerLevel: 1 },
    });
    const cost10 = (await analyse(loginOnly(url10), env)).metrics.login!;
    const cost12 = (await analyse(loginOnly(url12), env)).metrics.login!;
    expect(cost12.latency.minMs!).toBeGreaterThan(cost10.latency.minMs! * 2);
    expect(cost10.bcrypt?.consistentCost).not.toBeNull();
    expect(cost12.bcrypt?.consistentCost).not.toBeNull();
    expect(cost12.bcrypt!.consistentCost!).toBeGreaterThan(cost10.bcrypt!.consistentCost!);
    expect(cost10.bcrypt!.consistentCost!).toBeLessThanOrEqual(11);
    expect(cost12.bcrypt!.consistentCost!).toBeGreaterThanOrEqual(11);
  }, 90_000);

  it('a login without a token is a finding and the authenticated endpoints are not timed', async () => {
    const url = await appUrl({ loginNoToken: true });
    const { metrics, findings } = await analyse({ ...demoApiConfig(url), ...fast, login: { ...demoApiConfig(url).login, samples: 2 } }, env);
    expect(metrics.login?.tokenFound).toBe(false);
    expect(metrics.login?.tokenProblem).toMatch(/no token at "access_token"/);
    expect(metrics.endpoints.find((endpoint) => endpoint.auth)?.skipped).toMatch(/no token/);
    expect(findings.find((finding) => finding.ruleId === 'api-login-token-missing')).toMatchObject({ severity: 'critical', subject: 'api:login' });
  }, 60_000);
});
