#!/usr/bin/env node
/**
 * Response-time budgets of the dashboard API (original specification) under 50 concurrent
 * clients, measured with wrk against `perf-analyze serve` over 30 days of nightly reports
 * (fixture reports written to a temp dir) and a real latest run.
 *
 *   npm run build && node bench/serve-budgets.mjs [--seconds 10] [--connections 50]
 *
 * Needs wrk (apt-get install wrk). Prints p50/p95/p99/max and req/s per endpoint and the
 * budget verdict; exit 1 when a p95 is over its budget.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'perf-analyze.js');
const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const seconds = Number(arg('seconds', '10'));
const connections = Number(arg('connections', '50'));
const API = '/api/v1/performance-dashboard';
const BUDGETS = [
  ['health-overview', 500],
  ['metrics/realtime', 200],
  ['metrics/historical?hours=720', 1000],
  ['bottlenecks/analysis', 2000],
  ['load-test/status', 100],
  ['dashboard/config', 50],
];

const work = mkdtempSync(path.join(os.tmpdir(), 'serve-bench-'));
const dir = path.join(work, 'reports');
mkdirSync(dir);
execFileSync(process.execPath, [bin, '-o', dir, '--sample-seconds', '1', '--quiet', '--fail-on', 'none'], { cwd: work, stdio: 'ignore' });
const [latest] = execFileSync('ls', [dir]).toString().split('\n').filter((name) => name.endsWith('.json') && name !== 'latest.json');
const template = JSON.parse(execFileSync('cat', [path.join(dir, latest)]).toString());
const two = (n) => String(n).padStart(2, '0');
for (let day = 30; day >= 1; day -= 1) {
  const started = new Date(Date.now() - day * 86_400_000);
  const name = `performance_analysis_report_${started.getFullYear()}${two(started.getMonth() + 1)}${two(started.getDate())}_${two(started.getHours())}${two(started.getMinutes())}${two(started.getSeconds())}.json`;
  writeFileSync(path.join(dir, name), JSON.stringify({ ...template, startedAt: started.toISOString() }));
}

const port = await new Promise((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const server = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--dir', dir, '--rate-limit', '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.on('data', (chunk) => chunk.toString().includes('Ctrl-C') && resolve()));

const parseMs = (text) => {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return NaN;
  return Number(match[1]) * (match[2] === 'us' ? 0.001 : match[2] === 's' ? 1000 : 1);
};
let failed = false;
console.log(`wrk, ${connections} connections, 2 threads, ${seconds} s per endpoint; ${os.cpus().length} cores shared with the server`);
console.log('endpoint                          req/s     p50 ms   p95 ms   p99 ms   max ms   non-2xx  budget p95');
for (const [endpoint, budget] of BUDGETS) {
  const output = execFileSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', path.join(root, 'bench', 'wrk-p95.lua'), `http://127.0.0.1:${port}${API}/${endpoint}`]).toString();
  const p = (label) => parseMs((new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm').exec(output) ?? [])[1] ?? '');
  const p95 = parseMs((/^p95 (\S+)/m.exec(output) ?? [])[1] ?? '');
  const rps = Number((/Requests\/sec:\s+([\d.]+)/.exec(output) ?? [])[1]);
  const non2xx = Number((/Non-2xx or 3xx responses: (\d+)/.exec(output) ?? [0, 0])[1]);
  const max = parseMs((/Latency\s+\S+\s+\S+\s+(\S+)/.exec(output) ?? [])[1] ?? '');
  const ok = p95 < budget && non2xx === 0;
  if (!ok) failed = true;
  console.log(`${endpoint.padEnd(32)} ${rps.toFixed(0).padStart(7)} ${p('50%').toFixed(2).padStart(9)} ${p95.toFixed(2).padStart(8)} ${p('99%').toFixed(2).padStart(8)} ${max.toFixed(2).padStart(8)} ${String(non2xx).padStart(9)}   < ${budget} ms ${ok ? 'ok' : 'OVER'}`);
}
server.kill('SIGINT');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(work, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
