// A node:http target for the benchmarks: node target.mjs PORT [delay=MS] [stallEvery=MS stallFor=MS]
import http from 'node:http';
import { setImmediate } from 'node:timers';

const [portText, ...options] = process.argv.slice(2);
const opts = Object.fromEntries(options.map((option) => option.split('=')).map(([k, v]) => [k, Number(v)]));
const delay = opts.delay ?? 0;
const startedAt = performance.now();

/** ms until the current stall ends (0 outside a stall): stallFor ms at the start of every stallEvery ms, after the first period */
function stallLeft() {
  if (!opts.stallEvery) return 0;
  const t = performance.now() - startedAt;
  const inPeriod = t % opts.stallEvery;
  const period = Math.floor(t / opts.stallEvery);
  if (period === 0) return 0;
  return inPeriod < opts.stallFor ? opts.stallFor - inPeriod : 0;
}

/**
 * Runs `done` `ms` after now, to within a few microseconds: a timer alone fires up to ~1 ms late
 * (measured: p50 51.0 ms for a 50 ms setTimeout, with wrk and with perf-analyze alike), which would
 * be the target's error, not the generator's. The timer wakes 2 ms early, then the wait ends on
 * setImmediate turns.
 */
function after(ms, done) {
  const due = performance.now() + ms;
  const check = () => (performance.now() >= due ? done() : setImmediate(check));
  if (ms > 2) setTimeout(check, ms - 2);
  else check();
}

const server = http.createServer((_req, res) => {
  const wait = Math.max(delay, stallLeft());
  if (wait > 0) after(wait, () => res.end('ok'));
  else res.end('ok');
});
server.keepAliveTimeout = 300_000;
server.listen(Number(portText), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
