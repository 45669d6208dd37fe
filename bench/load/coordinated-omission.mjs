// Coordinated omission: a fixed 100 requests/s against a node target that stalls 1 s once every 5 s.
// CONNECTIONS (default 1, like a wrk run with one connection per thread) limits what is in flight, so requests due
// during a stall wait in the generator: as sent they look fast, from their intended start they waited.
// Targets: corrected p99 >= 0.9 s; as-sent p99 far lower; both reported. SECONDS default 30.
import { ensureBuilt, ours, startNodeTarget } from './lib.mjs';

const seconds = Number(process.env.SECONDS ?? 30);
const connections = process.env.CONNECTIONS ?? '1';
ensureBuilt();
const target = await startNodeTarget(['stallEvery=5000', 'stallFor=1000']);
try {
  const result = await ours(['open', target.url, '100', String(seconds), connections]);
  console.log(JSON.stringify(result));
  console.log(
    `100 requests/s for ${seconds} s over ${connections} connection(s), stall 1 s every 5 s: corrected p99 ${result.latency.p99Ms.toFixed(1)} ms ` +
      `(target >= 900), as-sent p99 ${result.asSentLatency.p99Ms.toFixed(1)} ms; corrected p50 ${result.latency.p50Ms.toFixed(1)} ms, ` +
      `as-sent p50 ${result.asSentLatency.p50Ms.toFixed(1)} ms; late ${result.late}, dropped ${result.dropped}, requests ${result.requests}`,
  );
} finally {
  await target.stop();
}
