#!/usr/bin/env node
// Accuracy of the API phase's endpoint timings (issue 4, "Measurement quality"): a target with a
// fixed 50 ms delay, timed by the built collector (dist/). The target runs in its own process and
// measures its own handler time, so the profiler's added overhead is seen directly.
// Usage: npm run build && node bench/api-accuracy.mjs [samples=500]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DELAY_MS = 50;

if (process.argv[2] === '--target') {
  const http = await import('node:http');
  const own = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/stats') {
      const sorted = [...own].sort((a, b) => a - b);
      res.end(JSON.stringify({ n: sorted.length, p50: sorted[Math.floor(sorted.length / 2)] }));
      return;
    }
    const started = process.hrtime.bigint();
    setTimeout(() => {
      res.end('{"ok":true}');
      own.push(Number(process.hrtime.bigint() - started) / 1e6);
    }, DELAY_MS);
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  const samples = Number(process.argv[2] ?? 500);
  const child = fork(fileURLToPath(import.meta.url), ['--target']);
  const port = await new Promise((resolve) => child.once('message', (message) => resolve(message.port)));
  try {
    const { configSchema } = await import('../dist/config/schema.js');
    const { collectApi } = await import('../dist/collectors/api/index.js');
    const { realHttpPort } = await import('../dist/ports/http.js');
    const { systemClock } = await import('../dist/ports/clock.js');
    const config = configSchema.parse({ api: { baseUrl: `http://127.0.0.1:${port}`, samples, warmup: 5, endpoints: [{ path: '/delay' }] } });
    const started = Date.now();
    const { data } = await collectApi({ config, http: realHttpPort, clock: systemClock, env: {}, signal: new AbortController().signal });
    const endpoint = data.endpoints[0];
    const stats = await (await fetch(`http://127.0.0.1:${port}/stats`)).json();
    const p50 = endpoint.latency.p50Ms;
    console.log(`fixed delay ${DELAY_MS} ms, ${endpoint.latency.samples} sequential samples in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`perf-analyze p50 ${p50.toFixed(3)} ms, p95 ${endpoint.latency.p95Ms.toFixed(3)} ms, p99 ${endpoint.latency.p99Ms.toFixed(3)} ms, max ${endpoint.latency.maxMs.toFixed(3)} ms`);
    console.log(`target's own handler p50 ${stats.p50.toFixed(3)} ms (setTimeout fires late by that much over ${DELAY_MS} ms)`);
    console.log(`|p50 - ${DELAY_MS} ms| = ${Math.abs(p50 - DELAY_MS).toFixed(3)} ms (target: within 1 ms); added by client + loopback: ${(p50 - stats.p50).toFixed(3)} ms`);
    console.log(Math.abs(p50 - DELAY_MS) <= 1 ? 'PASS' : 'FAIL');
  } finally {
    child.kill();
  }
}
