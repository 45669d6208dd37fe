#!/usr/bin/env node
// Bad output paths end at once: each case runs the built binary RUNS times (default 5) and prints
// the exit code and the median wall time. Target: exit 2 in under 2 s each.
// Usage: npm run build && node bench/output-paths.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'perf-analyze.js');
const runs = Number(process.argv[2] ?? 5);
const work = mkdtempSync(path.join(os.tmpdir(), 'perf-analyze-bench-paths-'));
const file = path.join(work, 'a-file');
writeFileSync(file, 'x');

const cases = [
  ['/proc/perf-analyze-out', {}],
  ['/sys/perf-analyze-out', {}],
  ['/dev/perf-analyze-out', {}],
  [file, {}],
  [path.join(file, 'below'), {}],
  ['/root/perf-analyze-not-mine', process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}],
];

console.log(`case | exit codes | median s | max s (${runs} runs)`);
for (const [dir, user] of cases) {
  const times = [];
  const codes = new Set();
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, '-o', dir, '--sample-seconds', '1', '--no-load'], { cwd: work, timeout: 30_000, encoding: 'utf8', ...user });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    codes.add(result.status ?? result.signal);
  }
  times.sort((a, b) => a - b);
  console.log(`${dir}${user.uid ? ' (as nobody)' : ''} | ${[...codes].join(',')} | ${times[Math.floor(times.length / 2)].toFixed(2)} | ${times.at(-1).toFixed(2)}`);
}
