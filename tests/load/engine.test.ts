import { afterEach, describe, expect, test } from '@jest/globals';
import { runClosed, runOpen, type LoadTarget } from '../../src/load/engine.js';
import { freePort } from '../support/free-port.js';
import { capacityLimited, delayed, startTarget, stallingOnce, type Target } from '../support/http-targets.js';

const started: Target[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((target) => target.close()));
});

async function target(handler: Parameters<typeof startTarget>[0]): Promise<Target> {
  const t = await startTarget(handler);
  started.push(t);
  return t;
}

const load = (origin: string, timeoutMs = 2000): LoadTarget => ({
  origin,
  requests: [{ method: 'GET', path: '/a', headers: {}, expectedStatus: [200] }, { method: 'GET', path: '/b?x=1', headers: {}, expectedStatus: [200] }],
  timeoutMs,
});

describe('closed model', () => {
  test('throughput and percentiles are sane against a fixed 20 ms delay', async () => {
    const t = await target(delayed(20));
    const result = await runClosed(load(t.origin), { concurrency: 4, durationMs: 800, warmupMs: 100, maxRequests: 1e6 });
    // 4 users x 1 request / ~21 ms: about 190 requests/s; generous bounds for a shared machine
    const rps = result.completedInWindow / (result.durationMs / 1000);
    expect(rps).toBeGreaterThan(60);
    expect(rps).toBeLessThan(200);
    expect(result.latency.p50Ms!).toBeGreaterThanOrEqual(19.5);
    expect(result.latency.p50Ms!).toBeLessThan(60);
    expect(result.latency.p50Ms!).toBeLessThanOrEqual(result.latency.p95Ms!);
    expect(result.latency.p95Ms!).toBeLessThanOrEqual(result.latency.p99Ms!);
    expect(result.latency.p99Ms!).toBeLessThanOrEqual(result.latency.maxMs!);
    expect(result.errors.total).toBe(0);
    expect(result.connections).toBe(4);
    expect(result.stoppedBy).toBe('duration');
    expect(result.generator.cpuPercent).toBeGreaterThan(0);
    // only the configured paths, round-robin, on the target's origin
    expect(new Set(t.paths)).toEqual(new Set(['/a', '/b?x=1']));
  });

  test('a closed port: every request is refused', async () => {
    const port = await freePort();
    const result = await runClosed(load(`http://127.0.0.1:${port}`), { concurrency: 2, durationMs: 300, maxRequests: 1e6 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors.refused).toBe(result.requests);
    expect(result.errors.total).toBe(result.requests);
  });

  test('a server that destroys its sockets: reset', async () => {
    const t = await target((req) => req.socket.destroy());
    const result = await runClosed(load(t.origin), { concurrency: 2, durationMs: 300, maxRequests: 1e6 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors.reset).toBe(result.requests);
  });

  test('a server that never answers: timeout', async () => {
    const t = await target(() => undefined);
    const result = await runClosed(load(t.origin, 150), { concurrency: 2, durationMs: 300, maxRequests: 1e6 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors.timeout).toBe(result.requests);
  });

  test('5xx responses are counted by status code', async () => {
    let n = 0;
    const t = await target((_req, res) => {
      n += 1;
      res.statusCode = n % 2 === 0 ? 503 : 200;
      res.end('x');
    });
    const result = await runClosed(load(t.origin), { concurrency: 2, durationMs: 300, maxRequests: 1e6 });
    expect(result.errors.byStatus['503']).toBeGreaterThan(0);
    expect(result.errors.total).toBe(result.errors.byStatus['503']);
    expect(result.errors.total / result.requests).toBeGreaterThan(0.3);
    expect(result.errors.total / result.requests).toBeLessThan(0.7);
  });

  test('maxRequests caps the run', async () => {
    const t = await target(delayed(1));
    const result = await runClosed(load(t.origin), { concurrency: 4, durationMs: 5000, maxRequests: 50 });
    expect(result.requests).toBe(50);
    expect(t.paths.length).toBe(50);
    expect(result.stoppedBy).toBe('max-requests');
  });

  test('an abort stops at once and keeps the partial results', async () => {
    const t = await target(delayed(5));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const startedAt = performance.now();
    const result = await runClosed(load(t.origin), { concurrency: 4, durationMs: 10_000, maxRequests: 1e6, signal: controller.signal });
    expect(performance.now() - startedAt).toBeLessThan(2000);
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.requests).toBeGreaterThan(10);
    expect(result.latency.samples).toBe(result.requests);
  });

  test('reports progress', async () => {
    const t = await target(delayed(2));
    const seen: number[] = [];
    await runClosed(load(t.origin), { concurrency: 2, durationMs: 700, maxRequests: 1e6, onProgress: (p) => seen.push(p.requests) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });
});

describe('open model', () => {
  test('holds a fixed rate: requests = rate x duration, nothing late or dropped on a fast target', async () => {
    const t = await target(delayed(2));
    const result = await runOpen(load(t.origin), { rate: 200, durationMs: 800, maxRequests: 1e6, maxConnections: 20 });
    expect(result.requests).toBeGreaterThanOrEqual(150);
    expect(result.requests).toBeLessThanOrEqual(160);
    expect(result.dropped).toBe(0);
    expect(result.asSentLatency!.p50Ms!).toBeLessThanOrEqual(result.latency.p50Ms! + 0.01);
  });

  test('a stalling target: corrected p99 far above as-sent p99 (coordinated omission corrected)', async () => {
    const t = await target(stallingOnce(200, 400));
    const result = await runOpen(load(t.origin), { rate: 200, durationMs: 1200, maxRequests: 1e6, maxConnections: 1 });
    expect(result.latency.p99Ms!).toBeGreaterThan(250);
    expect(result.asSentLatency!.p99Ms!).toBeLessThan(result.latency.p99Ms! / 3);
    expect(result.asSentLatency!.maxMs!).toBeGreaterThan(250); // the one request that met the stall
    expect(result.late!).toBeGreaterThan(40);
  });

  test('requests that never found a free connection are dropped', async () => {
    const t = await target(() => undefined);
    const result = await runOpen(load(t.origin, 5000), { rate: 100, durationMs: 500, maxRequests: 1e6, maxConnections: 2 });
    expect(result.connections).toBe(2);
    expect(result.dropped).toBeGreaterThan(30);
  }, 10_000);

  test('an abort keeps what was measured', async () => {
    const t = await target(delayed(2));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runOpen(load(t.origin), { rate: 100, durationMs: 10_000, maxRequests: 1e6, maxConnections: 10, signal: controller.signal });
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.requests).toBeGreaterThan(10);
    expect(result.requests).toBeLessThan(60);
  });

  test('maxRequests caps the run', async () => {
    const t = await target(delayed(1));
    const result = await runOpen(load(t.origin), { rate: 500, durationMs: 5000, maxRequests: 40, maxConnections: 10 });
    expect(t.paths.length).toBe(40);
    expect(result.stoppedBy).toBe('max-requests');
  });
});

describe('capacity-limited target', () => {
  test('throughput stops growing at its capacity', async () => {
    const t = await target(capacityLimited(4, 10));
    const at = async (concurrency: number) => {
      const r = await runClosed(load(t.origin), { concurrency, durationMs: 400, warmupMs: 50, maxRequests: 1e6 });
      return r.completedInWindow / (r.durationMs / 1000);
    };
    const one = await at(1);
    const four = await at(4);
    const sixteen = await at(16);
    expect(four / one).toBeGreaterThan(2.5);
    expect(sixteen / four).toBeLessThan(1.1);
  });
});
