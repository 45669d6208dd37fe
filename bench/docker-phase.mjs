#!/usr/bin/env node
// Benchmark of issue 5's target (run after `npm run build`, as root or a docker group member):
//   DOCKER_HOST=unix:///path/docker.sock node bench/docker-phase.mjs [--containers 50,100] [--window 5] [--runs 3] [--concurrency 100]
// For each count N: starts N idle busybox containers (plus one --cpus 0.5 CPU hog), runs the
// Docker phase (collectDocker from dist/) with a `window`-second sampling window, and reports
// the phase time against the target "window + 2 s" (issue 5: with 50 running containers), the
// profiler's own CPU, and `docker stats --no-stream` over the same containers for comparison
// (its wall time, and the hog's CPU % in both). Uses the engine on DOCKER_HOST, else
// /var/run/docker.sock; everything it creates is named pa-bench-<random>-* and removed at the end.
import { execFileSync, execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { collectDocker } = await import(path.join(root, 'dist/collectors/docker/index.js'));
const { dockerEndpoint } = await import(path.join(root, 'dist/collectors/docker/target.js'));
const { realDockerPort } = await import(path.join(root, 'dist/ports/docker.js'));
const { realTcpPort } = await import(path.join(root, 'dist/ports/tcp.js'));
const { systemClock } = await import(path.join(root, 'dist/ports/clock.js'));

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const counts = arg('containers', '50,100').split(',').map(Number);
const windowSeconds = Number(arg('window', '5'));
const runs = Number(arg('runs', '3'));
const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '0' };
const docker = (...args) => execFileSync('docker', args, { env, encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
const dockerAsync = (...args) =>
  new Promise((resolve, reject) => execFile('docker', args, { env, maxBuffer: 64 << 20 }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const prefix = `pa-bench-${randomBytes(3).toString('hex')}`;
const context = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((candidate) => existsSync(candidate));
if (!busybox) throw new Error('apt-get install busybox-static');
copyFileSync(busybox, path.join(context, 'busybox'));
writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n');
const image = `${prefix}-busybox`;
docker('build', '-q', '-t', image, context);
rmSync(context, { recursive: true, force: true });

const started = [];
const cleanup = () => {
  if (started.length > 0) docker('rm', '-f', ...started.splice(0));
  docker('rmi', '-f', image);
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

console.log(`engine ${host}, window ${windowSeconds} s, ${runs} runs per count, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  started.push(docker('run', '-d', '--name', `${prefix}-hog`, '--network', 'none', '--cpus', '0.5', image, 'sh', '-c', 'while :; do :; done'));
  for (const count of counts) {
    while (started.length - 1 < count) {
      const batch = Array.from({ length: Math.min(10, count - (started.length - 1)) }, (_, i) =>
        dockerAsync('run', '-d', '--name', `${prefix}-idle-${started.length + i}`, '--network', 'none', image, 'sleep', '1d'),
      );
      started.push(...(await Promise.all(batch)));
    }
    const phase = [];
    const cpuMs = [];
    const statsWall = [];
    let lastHog = null;
    let lastStatsHog = null;
    for (let run = 0; run < runs; run++) {
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      const result = await collectDocker(
        { docker: realDockerPort, tcp: realTcpPort, clock: systemClock },
        {
          endpoint: dockerEndpoint(host),
          sampleSeconds: windowSeconds,
          include: { names: [`${prefix}-*`], labels: [] },
          exclude: { names: [], labels: [] },
          concurrency: Number(arg('concurrency', '100')),
          timeoutMs: 10_000,
          latencySamples: 20,
          services: [],
          recentExitHours: 24,
          signal: new AbortController().signal,
        },
      );
      phase.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpuBefore);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      if (result.data.containers.length !== count + 1) throw new Error(`measured ${result.data.containers.length} containers, expected ${count + 1}`);
      lastHog = result.data.containers.find((c) => c.name === `${prefix}-hog`).cpu.percent.value;

      const s0 = performance.now();
      const stats = docker('stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}}', ...started);
      statsWall.push(performance.now() - s0);
      lastStatsHog = Number.parseFloat(stats.split('\n').find((line) => line.startsWith(`${prefix}-hog `)).split(' ')[1]);
    }
    const m = median(phase);
    console.log(
      `${String(count + 1).padStart(4)} running: phase median ${(m / 1000).toFixed(2)} s (runs ${phase.map((v) => (v / 1000).toFixed(2)).join(', ')}), ` +
        `over the window ${((m - windowSeconds * 1000) / 1000).toFixed(2)} s (target <= 2 s: ${m <= windowSeconds * 1000 + 2000 ? 'met' : 'MISSED'}), ` +
        `profiler CPU ${median(cpuMs).toFixed(0)} ms; docker stats --no-stream ${(median(statsWall) / 1000).toFixed(2)} s; ` +
        `hog CPU ${lastHog?.toFixed(1)} % (docker stats ${lastStatsHog?.toFixed(1)} %)`,
    );
  }
} finally {
  cleanup();
}
