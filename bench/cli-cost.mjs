#!/usr/bin/env node
// Benchmark of issue 2's performance targets (run after `npm run build`):
//   node bench/cli-cost.mjs [--runs N]
// - `perf-analyze --version` and `--help`: median wall time (target < 250 ms)
// - host-only run with --sample-seconds 1: median wall (target < 3 s), the profiler's own
//   CPU during the sampling window as % of one core (target < 5 %), peak RSS (target < 120 MB)
// The machine is shared and noisy: medians over several runs; check `uptime` before trusting it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'perf-analyze.js');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function timeCommand(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`perf-analyze ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'perf-analyze-bench-'));
try {
  console.log(`machine: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
  for (const args of [['--version'], ['--help']]) {
    const times = Array.from({ length: runs }, () => timeCommand(args, work));
    console.log(`perf-analyze ${args.join(' ')}: median ${median(times).toFixed(0)} ms over ${runs} runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); target < 250 ms`);
  }
  const hostRuns = Math.max(3, Math.min(runs, 7));
  const walls = [];
  const windowCpu = [];
  const rss = [];
  for (let i = 0; i < hostRuns; i++) {
    const out = path.join(work, `run-${i}`);
    walls.push(timeCommand(['--sample-seconds', '1', '-o', out, '--quiet', '--fail-on', 'none'], work));
    const jsonName = readdirSync(out).find((name) => name.endsWith('.json'));
    const report = JSON.parse(readFileSync(path.join(out, jsonName), 'utf8'));
    const system = report.phases.find((phase) => phase.id === 'system');
    // the system phase is sample 1 + the window + sample 2; its CPU over its wall time
    windowCpu.push(((system.cost.cpuUserMs + system.cost.cpuSystemMs) / system.durationMs) * 100);
    rss.push(report.profiler.peakRssBytes / 1024 / 1024);
  }
  console.log(`host-only run, --sample-seconds 1: median wall ${median(walls).toFixed(0)} ms over ${hostRuns} runs; target < 3000 ms`);
  console.log(`  profiler CPU during the system phase: median ${median(windowCpu).toFixed(2)} % of one core; target < 5 %`);
  console.log(`  peak RSS: median ${median(rss).toFixed(1)} MB; target < 120 MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
