// perf-analyze's load engine from dist/, for the benchmarks; prints one JSON line.
//   node generator.mjs closed URL CONNECTIONS SECONDS [MAX_REQUESTS]
//   node generator.mjs open URL RATE SECONDS CONNECTIONS
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { runClosed, runOpen } = await import(pathToFileURL(path.join(root, 'dist/load/engine.js')).href);
const [model, url, a, seconds, b] = process.argv.slice(2);
const origin = new URL(url).origin;
const target = { origin, requests: [{ method: 'GET', path: new URL(url).pathname, headers: {}, expectedStatus: [200] }], timeoutMs: 10_000 };
const durationMs = Number(seconds) * 1000;
const result =
  model === 'closed'
    ? await runClosed(target, { concurrency: Number(a), durationMs, maxRequests: b ? Number(b) : 1e12, warmupMs: 0 })
    : await runOpen(target, { rate: Number(a), durationMs, maxRequests: 1e12, maxConnections: Number(b) });
const rusage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    rps: result.completedInWindow / (result.durationMs / 1000),
    requests: result.requests,
    errors: result.errors.total,
    latency: result.latency,
    asSentLatency: result.asSentLatency,
    late: result.late,
    dropped: result.dropped,
    generator: result.generator,
    peakRssMB: rusage.maxRSS / 1024,
  })}\n`,
);
