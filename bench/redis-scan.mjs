#!/usr/bin/env node
// Issue 3 target: the big-key scan of a Redis with 1,000,000 keys stays within its time budget
// (default 2 s) and reports how much it covered. Starts a throw-away redis-server on a free
// loopback port, loads N keys with `redis-cli --pipe`, runs the built collector's scan.
// Usage: npm run build && node bench/redis-scan.mjs [keys=1000000] [budgetSeconds=2]
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { scanKeys } from '../dist/collectors/redis/keys.js';
import { systemClock } from '../dist/ports/clock.js';
import { realRedisPort } from '../dist/ports/redis.js';

const keys = Number(process.argv[2] ?? 1_000_000);
const budgetSeconds = Number(process.argv[3] ?? 2);

const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'PING']).stdout?.toString().includes('PONG')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const lines = [];
  for (let i = 0; i < keys; i++) lines.push(`SET key:${i} value-${i}\r\n`);
  const load = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { input: lines.join(''), maxBuffer: 1 << 26 });
  if (load.status !== 0) throw new Error(`loading failed: ${load.stderr}`);

  const session = await realRedisPort.connect({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 3000, commandTimeoutMs: 5000 });
  const started = systemClock.monotonicMs();
  const sample = await scanKeys(session, systemClock, {
    maxKeys: 100_000,
    maxMs: budgetSeconds * 1000,
    count: 200,
    signal: new AbortController().signal,
    memoryAllowed: true,
  });
  const wallMs = systemClock.monotonicMs() - started;
  await session.close();
  console.log(
    `redis key scan: ${sample.totalKeys} keys in the db; scanned ${sample.scannedKeys} (${sample.coveragePercent} %) in ${Math.round(wallMs)} ms ` +
      `(budget ${budgetSeconds * 1000} ms, key budget 100000), stopped by ${sample.stoppedBy}`,
  );
  const overrunMs = wallMs - budgetSeconds * 1000;
  // one SCAN batch may finish after the budget ran out: allow 250 ms for it
  if (overrunMs > 250) {
    console.log(`FAIL: over the time budget by ${Math.round(overrunMs)} ms`);
    process.exitCode = 1;
  } else {
    console.log('OK: within the time budget');
  }
} finally {
  redis.kill('SIGTERM');
}
