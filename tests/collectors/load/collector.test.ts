import { afterEach, describe, expect, test } from '@jest/globals';
import { collectLoad } from '../../../src/collectors/load/index.js';
import { loadCollector } from '../../../src/collectors/load/collector.js';
import { buildPlan } from '../../../src/collectors/load/plan.js';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { capacityLimited, delayed, startTarget, type Target } from '../../support/http-targets.js';

const started: Target[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((target) => target.close()));
});
async function target(handler: Parameters<typeof startTarget>[0]): Promise<Target> {
  const t = await startTarget(handler);
  started.push(t);
  return t;
}
const config = (input: ConfigInput) => configSchema.parse(input);
const signal = () => new AbortController().signal;

describe('load collector: configured', () => {
  test('needs api.baseUrl and load.enabled', () => {
    expect(loadCollector.configured(config({}))).toBe(false);
    expect(loadCollector.configured(config({ api: { baseUrl: 'http://127.0.0.1:1' } }))).toBe(false);
    expect(loadCollector.configured(config({ load: { enabled: true } }))).toBe(false);
    expect(loadCollector.configured(config({ api: { baseUrl: 'http://127.0.0.1:1' }, load: { enabled: true } }))).toBe(true);
    expect(loadCollector.describeTarget!(config({ api: { baseUrl: 'http://user:secret@127.0.0.1:1/api?token=x' }, load: { enabled: true } }))).toBe('http://127.0.0.1:1/api');
  });
});

describe('load plan', () => {
  test('GET endpoints under the base path; auth, non-GET and unset variables left out with a reason; no secret in a reason', () => {
    const plan = buildPlan(
      config({
        api: {
          baseUrl: 'http://127.0.0.1:9/base/',
          endpoints: [
            { path: '/health' },
            { name: 'items', path: '/items', headers: { 'X-Key': '${LOAD_KEY}' } },
            { path: '/profile', auth: true },
            { path: '/login', method: 'POST', body: { password: 'hunter2' } },
            { name: 'needs-var', path: '/x', headers: { 'X-Key': '${LOAD_UNSET_VAR}' } },
          ],
        },
      }),
      { LOAD_KEY: 'k1' },
    );
    expect(plan.origin).toBe('http://127.0.0.1:9');
    expect(plan.requests.map((r) => [r.name, r.path, r.headers])).toEqual([
      ['GET /health', '/base/health', {}],
      ['items', '/base/items', { 'x-key': 'k1' }],
    ]);
    expect(plan.skipped.map((s) => s.name)).toEqual(['POST /login', 'GET /profile', 'needs-var']);
    expect(JSON.stringify(plan.skipped)).not.toContain('hunter2');
  });

  test('load.endpoints picks by name; an unknown name is an error naming it', () => {
    const base = { baseUrl: 'http://127.0.0.1:9', endpoints: [{ name: 'a', path: '/a' }, { name: 'b', path: '/b', method: 'POST' as const, body: { q: 1 } }] };
    const plan = buildPlan(config({ api: base, load: { endpoints: ['b'] } }), {});
    expect(plan.requests.map((r) => [r.method, r.path, r.body, r.headers['content-type']])).toEqual([['POST', '/b', '{"q":1}', 'application/json']]);
    expect(() => buildPlan(config({ api: base, load: { endpoints: ['c'] } }), {})).toThrow('load.endpoints names "c", not among api.endpoints (names: "a", "b")');
  });

  test('no endpoint configured: the base URL itself', () => {
    expect(buildPlan(config({ api: { baseUrl: 'http://127.0.0.1:9' } }), {}).requests.map((r) => r.path)).toEqual(['/']);
  });
});

describe('collectLoad', () => {
  // 50 ms a request: the generator's own cost stays small beside it even on a busy machine,
  // so 16 users cannot get more throughput than 4
  test('finds the knee of a capacity-limited target (4 slots x 50 ms: about 80 requests/s)', async () => {
    const t = await target(capacityLimited(4, 50));
    const result = await collectLoad(
      config({
        api: { baseUrl: t.url },
        load: { enabled: true, concurrency: [1, 4, 16], durationSeconds: 0.5, warmupSeconds: 0.1, rates: [50] },
      }),
      { signal: signal() },
    );
    const data = result.data;
    expect(result.partial).toBeUndefined();
    expect(data.ladder.map((level) => level.concurrency)).toEqual([1, 4, 16]);
    expect(data.knee?.capacity?.concurrency).toBe(4);
    expect(data.knee?.brokeAt?.concurrency).toBe(16);
    expect(['throughput', 'generator']).toContain(data.knee?.brokeAt?.reason);
    expect(data.knee?.summary).toMatch(/^about 4 concurrent users, \d[\d,]* requests\/s; at 16 concurrent users /);
    expect(data.rates).toHaveLength(1);
    expect(data.rates[0]!.model).toBe('open');
    expect(data.totalRequests).toBeGreaterThan(100);
    // only the configured base URL was requested
    expect(new Set(t.paths)).toEqual(new Set(['/']));
  });

  test('caps: maxRequests and maxTotalSeconds skip what does not fit, and say why', async () => {
    const t = await target(delayed(1));
    const result = await collectLoad(
      config({ api: { baseUrl: t.url }, load: { enabled: true, concurrency: [1, 2, 4], durationSeconds: 0.5, warmupSeconds: 0, maxRequests: 30 } }),
      { signal: signal() },
    );
    expect(result.data.totalRequests).toBeLessThanOrEqual(30);
    expect(t.paths.length).toBeLessThanOrEqual(30);
    expect(result.data.skipped.join('\n')).toContain('load.maxRequests (30) reached');

    const timed = await collectLoad(
      config({ api: { baseUrl: t.url }, load: { enabled: true, concurrency: [1, 2, 4], durationSeconds: 0.6, warmupSeconds: 0, maxTotalSeconds: 1 } }),
      { signal: signal() },
    );
    expect(timed.data.ladder.length).toBeLessThan(3);
    expect(timed.data.skipped.join('\n')).toContain('load.maxTotalSeconds (1 s) reached');
  });

  test('a failing target stops the ladder', async () => {
    const t = await target((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const result = await collectLoad(config({ api: { baseUrl: t.url }, load: { enabled: true, concurrency: [1, 2], durationSeconds: 0.5, warmupSeconds: 0 } }), {
      signal: signal(),
    });
    expect(result.data.ladder).toHaveLength(1);
    expect(result.data.ladder[0]!.errors.byStatus['500']).toBe(result.data.ladder[0]!.requests);
    expect(result.data.skipped[0]).toMatch(/^2 users: not run: at 1 users 100\.0 % of requests failed/);
  });

  test('Ctrl-C: partial, with the levels measured so far', async () => {
    const t = await target(delayed(2));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const result = await collectLoad(
      config({ api: { baseUrl: t.url }, load: { enabled: true, concurrency: [1, 2, 4], durationSeconds: 0.5, warmupSeconds: 0 } }),
      { signal: controller.signal },
    );
    expect(result.partial).toContain('interrupted');
    expect(result.data.ladder.length).toBeGreaterThanOrEqual(1);
    expect(result.data.ladder.length).toBeLessThan(3);
    expect(result.data.skipped.some((line) => line.includes('interrupted'))).toBe(true);
  });
});
