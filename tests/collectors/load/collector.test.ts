import { afterEach, describe, expect, test } from '@jest/globals';
import { collectLoad } from '../../../src/collectors/load/index.js';
import { realHttpPort } from '../../../src/ports/http.js';
import { loadCollector } from '../../../src/collectors/load/collector.js';
import { buildPlan } from '../../../src/collectors/load/plan.js';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { capacityLimited, delayed, startTarget, type Target } from '../../support/http-targets.js';
import type http from 'node:http';

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
    expect(plan.skipped[1]!.reason).toBe('needs the login token and api.login is not configured');
    expect(JSON.stringify(plan.skipped)).not.toContain('hunter2');
  });

  test('with the login token: auth endpoints carry it in the configured header and scheme; without it, the login problem is the reason', () => {
    const input = {
      api: {
        baseUrl: 'http://127.0.0.1:9',
        endpoints: [{ path: '/health' }, { path: '/profile', auth: true }],
        login: { path: '/login', body: { password: '${LOAD_PW}' }, tokenHeader: 'X-Auth', tokenScheme: 'Token' },
      },
    };
    const withToken = buildPlan(config(input), {}, { token: 'tok-123' });
    expect(withToken.requests.map((r) => [r.path, r.headers])).toEqual([
      ['/health', {}],
      ['/profile', { 'x-auth': 'Token tok-123' }],
    ]);
    const without = buildPlan(config(input), {}, { problem: 'login answered status 401' });
    expect(without.requests.map((r) => r.path)).toEqual(['/health']);
    expect(without.skipped).toEqual([{ name: 'GET /profile', reason: 'needs the login token and the login gave none: login answered status 401' }]);
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
      { signal: signal(), http: realHttpPort },
    );
    const data = result.data;
    expect(result.partial).toBeUndefined();
    expect(data.ladder.map((level) => level.concurrency)).toEqual([1, 4, 16]);
    expect(data.knee?.capacity?.concurrency).toBe(4);
    expect(data.knee?.brokeAt?.concurrency).toBe(16);
    expect(['throughput', 'generator']).toContain(data.knee?.brokeAt?.reason);
    expect(data.knee?.summary).toMatch(/^about \d[\d,]* requests\/s within the SLO at 4 connections; at 16 connections /);
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
      { signal: signal(), http: realHttpPort },
    );
    expect(result.data.totalRequests).toBeLessThanOrEqual(30);
    expect(t.paths.length).toBeLessThanOrEqual(30);
    expect(result.data.skipped.join('\n')).toContain('load.maxRequests (30) reached');

    const timed = await collectLoad(
      config({ api: { baseUrl: t.url }, load: { enabled: true, concurrency: [1, 2, 4], durationSeconds: 0.6, warmupSeconds: 0, maxTotalSeconds: 1 } }),
      { signal: signal(), http: realHttpPort },
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
      http: realHttpPort,
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
      { signal: controller.signal, http: realHttpPort },
    );
    expect(result.partial).toContain('interrupted');
    expect(result.data.ladder.length).toBeGreaterThanOrEqual(1);
    expect(result.data.ladder.length).toBeLessThan(3);
    expect(result.data.skipped.some((line) => line.includes('interrupted'))).toBe(true);
  });
});

/** A target like the demo's: POST /login with the right password gives a token; /profile answers 401 without that bearer token. */
function tokenTarget(password: string, token: string) {
  const seen = { authorised: 0, refused: 0, logins: 0 };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === '/login') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.logins += 1;
        const ok = (JSON.parse(body || '{}') as { password?: string }).password === password;
        res.statusCode = ok ? 200 : 401;
        res.setHeader('content-type', 'application/json');
        res.end(ok ? JSON.stringify({ data: { access_token: token } }) : '{"detail":"bad credentials"}');
      });
      return;
    }
    if (req.headers.authorization === `Bearer ${token}`) seen.authorised += 1;
    else seen.refused += 1;
    res.statusCode = req.headers.authorization === `Bearer ${token}` ? 200 : 401;
    res.end('{}');
  };
  return { handler, seen };
}

describe('collectLoad: the login token', () => {
  const loginConfig = (url: string) =>
    config({
      api: {
        baseUrl: url,
        endpoints: [{ path: '/profile', auth: true }],
        login: { path: '/login', body: { username: 'u', password: '${LOAD_TEST_PASSWORD}' }, tokenPath: 'data.access_token' },
      },
      load: { enabled: true, concurrency: [1, 2], durationSeconds: 0.5, warmupSeconds: 0 },
    });

  test('logs in once and sends the token on auth endpoints; neither token nor password is in the result', async () => {
    const token = 'secret-token-4f9a1c';
    const { handler, seen } = tokenTarget('pw-77x', token);
    const t = await target(handler);
    const result = await collectLoad(loginConfig(t.url), { signal: signal(), http: realHttpPort, env: { LOAD_TEST_PASSWORD: 'pw-77x' } });
    expect(seen.logins).toBe(1);
    expect(result.data.endpoints).toEqual(['GET /profile']);
    expect(result.data.skippedEndpoints).toEqual([]);
    expect(result.data.ladder).toHaveLength(2);
    expect(result.data.ladder.every((level) => level.errors.total === 0 && level.requests > 0)).toBe(true);
    expect(seen.refused).toBe(0);
    expect(seen.authorised).toBe(result.data.totalRequests);
    const text = JSON.stringify(result);
    expect(text).not.toContain(token);
    expect(text).not.toContain('pw-77x');
  });

  test('a JWT that would expire before a level ends is renewed by a new login first; the old one is not sent after its expiry', async () => {
    // tokens that live 2-3 s (exp in whole seconds) over four 1 s levels: without renewal the last
    // levels would be refused; each level starts within the renewal margin (10 s), so each gets a fresh token
    const issued: string[] = [];
    const jwt = (exp: number) => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
    let expired = 0;
    const t = await target((req, res) => {
      if (req.url === '/login') {
        req.resume();
        req.on('end', () => {
          const token = jwt(Math.floor(Date.now() / 1000) + 3);
          issued.push(token);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: { access_token: token } }));
        });
        return;
      }
      const sent = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const known = issued.includes(sent);
      const exp = known ? (JSON.parse(Buffer.from(sent.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp : 0;
      if (known && exp * 1000 <= Date.now()) expired += 1;
      res.statusCode = known && exp * 1000 > Date.now() ? 200 : 401;
      res.end('{}');
    });
    const input = loginConfig(t.url);
    const result = await collectLoad({ ...input, load: { ...input.load, concurrency: [1, 2, 3, 4], durationSeconds: 1 } }, { signal: signal(), http: realHttpPort, env: { LOAD_TEST_PASSWORD: 'pw' } });
    expect(result.data.ladder).toHaveLength(4);
    // the first login serves the first level; one renewal before each of the three others
    expect(result.data.logins).toBe(4);
    expect(issued).toHaveLength(4);
    expect(result.data.ladder.every((level) => level.errors.total === 0)).toBe(true);
    expect(expired).toBe(0);
    expect(JSON.stringify(result)).not.toContain(issued[0]!);
  });

  test('an opaque token (no exp) is not renewed', async () => {
    const { handler, seen } = tokenTarget('pw', 'opaque-token');
    const t = await target(handler);
    const result = await collectLoad(loginConfig(t.url), { signal: signal(), http: realHttpPort, env: { LOAD_TEST_PASSWORD: 'pw' } });
    expect(seen.logins).toBe(1);
    expect(result.data.logins).toBe(1);
  });

  test('a failed login leaves the auth endpoints out with the reason, no secret in it', async () => {
    const { handler, seen } = tokenTarget('right-password', 'tok-never');
    const t = await target(handler);
    await expect(collectLoad(loginConfig(t.url), { signal: signal(), http: realHttpPort, env: { LOAD_TEST_PASSWORD: 'wrong-pw-31' } })).rejects.toThrow(
      'no endpoint to load: GET /profile (needs the login token and the login gave none: login answered status 401)',
    );
    expect(seen.authorised + seen.refused).toBe(0);
    const unset = collectLoad(loginConfig(t.url), { signal: signal(), http: realHttpPort, env: {} });
    await expect(unset).rejects.toThrow('environment variable LOAD_TEST_PASSWORD is not set');
  });
});
