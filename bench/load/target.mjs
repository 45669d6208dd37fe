// A node:http target for the benchmarks: node target.mjs PORT [delay=MS] [stallEvery=MS stallFor=MS]
import http from 'node:http';

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

const server = http.createServer((_req, res) => {
  const wait = Math.max(delay, stallLeft());
  if (wait > 0) setTimeout(() => res.end('ok'), wait);
  else res.end('ok');
});
server.keepAliveTimeout = 300_000;
server.listen(Number(portText), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
