// Helpers for the load-generator benchmarks: nginx and node targets pinned to one core, tools pinned to the other.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const GENERATOR_CORE = process.env.GENERATOR_CORE ?? '0';
export const TARGET_CORE = process.env.TARGET_CORE ?? '1';
/** autocannon is installed outside the repo: npm install --prefix /tmp/autocannon-load autocannon */
export const AUTOCANNON = process.env.AUTOCANNON ?? '/tmp/autocannon-load/node_modules/.bin/autocannon';

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** nginx serving "ok" (2 bytes) on a free port, one worker pinned to TARGET_CORE. */
export async function startNginx() {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
  if (!nginx) throw new Error('nginx is not installed (Debian: apt-get install nginx)');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-bench-nginx-'));
  const conf = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "ok"; }
  }
}`;
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child = spawn('taskset', ['-c', TARGET_CORE, nginx, '-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}/`, port, stop: () => stopChild(child) };
}

/** bench/load/target.mjs (a node:http server) pinned to TARGET_CORE. */
export async function startNodeTarget(args) {
  const port = await freePort();
  const child = spawn('taskset', ['-c', TARGET_CORE, process.execPath, path.join(HERE, 'target.mjs'), String(port), ...args], { stdio: 'ignore' });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}/`, port, stop: () => stopChild(child) };
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs a command pinned to GENERATOR_CORE; resolves with its stdout. */
export function pinned(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', GENERATOR_CORE, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`))));
  });
}

/** wrk, pinned; requests/s and p50 (ms). */
export async function wrk(url, connections, seconds) {
  const out = await pinned('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out);
  const factor = { us: 0.001, ms: 1, s: 1000 }[p50[2]];
  return { rps, p50Ms: Number(p50[1]) * factor };
}

/** autocannon, pinned; requests/s (total / duration). */
export async function autocannon(url, connections, seconds) {
  if (!existsSync(AUTOCANNON)) throw new Error(`autocannon not found at ${AUTOCANNON}: npm install --prefix /tmp/autocannon-load autocannon`);
  const out = await pinned(process.execPath, [AUTOCANNON, '-j', '-c', String(connections), '-d', String(seconds), url]);
  const result = JSON.parse(out);
  return { rps: result.requests.total / result.duration, p50Ms: result.latency.p50 };
}

/** perf-analyze's engine (dist/), pinned; see generator.mjs for the arguments. */
export async function ours(args) {
  const out = await pinned(process.execPath, [path.join(HERE, 'generator.mjs'), ...args]);
  return JSON.parse(out);
}

export function ensureBuilt() {
  if (!existsSync(path.join(ROOT, 'dist/load/engine.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** one-minute load average and the busiest other processes, to judge whether a round was disturbed */
export function machineNote() {
  const load = execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ');
  return `loadavg ${load}`;
}
