// Accuracy: (1) against a node target with a fixed 50 ms delay, p50 must be within 1 ms of 50 ms;
// (2) at low load (1 connection, nginx), the p50 perf-analyze measures minus wrk's p50 = what the
// generator adds (target < 0.2 ms). ROUNDS rounds (default 5), medians printed.
import { ensureBuilt, machineNote, median, ours, startNginx, startNodeTarget, wrk } from './lib.mjs';

const rounds = Number(process.env.ROUNDS ?? 5);
const seconds = Number(process.env.SECONDS ?? 5);
ensureBuilt();
const slow = await startNodeTarget(['delay=50']);
const nginx = await startNginx();
const rows = [];
try {
  await wrk(nginx.url, 1, 1);
  for (let round = 1; round <= rounds; round++) {
    const delayed = await ours(['closed', slow.url, '10', String(seconds)]);
    // the same target measured by wrk: if both are above 50 ms, the target's timers fired late (a busy machine), not the generator
    const wrkDelayed = await wrk(slow.url, 10, seconds);
    const w = await wrk(nginx.url, 1, seconds);
    const us = await ours(['closed', nginx.url, '1', String(seconds)]);
    const row = { round, p50At50msDelay: delayed.latency.p50Ms, wrkP50At50msDelay: wrkDelayed.p50Ms, wrkP50: w.p50Ms, oursP50: us.latency.p50Ms, addedMs: us.latency.p50Ms - w.p50Ms, machine: machineNote() };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await slow.stop();
  await nginx.stop();
}
console.log(
  `median over ${rounds} rounds: p50 against a 50 ms delay ${median(rows.map((r) => r.p50At50msDelay)).toFixed(3)} ms (target 50 +- 1 ms; ` +
    `wrk on the same target ${median(rows.map((r) => r.wrkP50At50msDelay)).toFixed(3)} ms); ` +
    `at 1 connection wrk p50 ${median(rows.map((r) => r.wrkP50)).toFixed(3)} ms, perf-analyze ${median(rows.map((r) => r.oursP50)).toFixed(3)} ms: ` +
    `added ${median(rows.map((r) => r.addedMs)).toFixed(3)} ms (target < 0.2 ms)`,
);
