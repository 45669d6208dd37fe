// `perf-analyze history` over 1,000 saved reports (issue 6: under 2 s).
// Makes 1,000 copies of a real report of this host (one run, its values varied per copy),
// then times `history` (default metrics and one --metric glob) on the built binary, 5 times each.
// Usage: npm run build && node bench/history-1000.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve('bin/perf-analyze.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-analyze-history-'));
execFileSync(process.execPath, [bin, '--sample-seconds', '0.5', '-o', path.join(dir, 'seed'), '--quiet', '--fail-on', 'none']);
const seedName = readdirSync(path.join(dir, 'seed')).find((name) => name.startsWith('performance_analysis_report_'));
const seed = JSON.parse(readFileSync(path.join(dir, 'seed', seedName), 'utf8'));
const reports = path.join(dir, 'reports');
execFileSync('mkdir', ['-p', reports]);
const start = Date.parse('2024-01-01T03:15:00Z');
for (let i = 0; i < 1000; i++) {
  const when = new Date(start + i * 86_400_000);
  const copy = JSON.parse(JSON.stringify(seed));
  copy.startedAt = when.toISOString();
  copy.scores.health = 60 + (i % 40);
  if (copy.metrics.system) copy.metrics.system.memory.usedPercent.value = 30 + (i % 50);
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  writeFileSync(path.join(reports, `performance_analysis_report_${stamp}.json`), JSON.stringify(copy, null, 2));
}
const bytes = readdirSync(reports).reduce((sum, name) => sum + readFileSync(path.join(reports, name)).length, 0);
console.log(`1000 reports, ${(bytes / 1e6).toFixed(1)} MB, in ${reports}`);
for (const args of [['history', '--dir', reports], ['history', '--dir', reports, '--metric', 'system.mounts[*].usedPercent']]) {
  const times = [];
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.status !== 0) throw new Error(result.stderr);
  }
  times.sort((a, b) => a - b);
  console.log(`${args.slice(3).join(' ') || '(default metrics)'}: median ${times[2].toFixed(0)} ms, max ${times[4].toFixed(0)} ms (target < 2000 ms)`);
}
rmSync(dir, { recursive: true, force: true });
