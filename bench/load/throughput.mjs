// Throughput against nginx: perf-analyze vs autocannon vs wrk, 50 connections, 10 s, generator on one core and
// nginx on the other; ROUNDS rounds (default 5), ratios taken round by round, medians printed.
//   node bench/load/throughput.mjs            (ROUNDS=5 SECONDS=10 CONNECTIONS=50)
import { autocannon, ensureBuilt, machineNote, median, ours, startNginx, wrk } from './lib.mjs';

const rounds = Number(process.env.ROUNDS ?? 5);
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 50);
ensureBuilt();
const nginx = await startNginx();
const rows = [];
try {
  // one untimed warm-up of each tool
  await wrk(nginx.url, connections, 2);
  for (let round = 1; round <= rounds; round++) {
    const w = await wrk(nginx.url, connections, seconds);
    const ac = await autocannon(nginx.url, connections, seconds);
    const us = await ours(['closed', nginx.url, String(connections), String(seconds)]);
    const row = { round, ours: Math.round(us.rps), autocannon: Math.round(ac.rps), wrk: Math.round(w.rps), vsAutocannon: us.rps / ac.rps, vsWrk: us.rps / w.rps, generatorCpu: us.generator.cpuPercent, errors: us.errors, machine: machineNote() };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await nginx.stop();
}
console.log(
  `median over ${rounds} rounds: perf-analyze ${Math.round(median(rows.map((r) => r.ours)))} req/s, autocannon ${Math.round(median(rows.map((r) => r.autocannon)))}, ` +
    `wrk ${Math.round(median(rows.map((r) => r.wrk)))}; ratio vs autocannon ${median(rows.map((r) => r.vsAutocannon)).toFixed(2)} (target >= 1.2), ` +
    `vs wrk ${median(rows.map((r) => r.vsWrk)).toFixed(2)} (target >= 0.45)`,
);
