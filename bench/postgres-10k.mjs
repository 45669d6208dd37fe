#!/usr/bin/env node
// Issue 3 target: "on a database with 10,000 tables and 20,000 indexes the PostgreSQL checks finish
// in under 3 s beyond the sampling window, using at most two connections".
// Starts a throw-away cluster (initdb on a free loopback port, as the postgres user when root),
// seeds N tables, each with a primary key and one secondary index (2N indexes), plus the conditions
// the checks must still find however many tables there are: a big table read by sequential scans,
// an unused index, a duplicate index and an invalid index, and the same kinds of condition on a
// table that is NOT among the largest ones. Then runs the built collector (collectPostgres from
// dist/) and the rules `runs` times with a short window and reports the median time beyond the
// window, the most connections the profiler held at once (polled from pg_stat_activity by a
// separate session), the slowest queries, and whether every seeded condition was found.
// Usage: npm run build && node bench/postgres-10k.mjs [--tables 10000] [--window 1] [--runs 5] [--keep]
import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { collectPostgres } = await import(path.join(root, 'dist/collectors/postgres/index.js'));
const { realPostgresPort } = await import(path.join(root, 'dist/ports/postgres.js'));
const { systemClock } = await import(path.join(root, 'dist/ports/clock.js'));
const { evaluateRules } = await import(path.join(root, 'dist/rules/index.js'));
const { mergeThresholds } = await import(path.join(root, 'dist/rules/thresholds.js'));

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const tables = Number(arg('tables', '10000'));
const windowSeconds = Number(arg('window', '1'));
const runs = Number(arg('runs', '5'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;
const asPostgres = (command, args) => (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));

const majors = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
const bin = path.join('/usr/lib/postgresql', majors[0], 'bin');
const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'perf-analyze-bench-pg-'));
if (asRoot) {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  chownSync(dataDir, uid, gid);
}
chmodSync(dataDir, 0o700);

let admin;
try {
  await asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dataDir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      "shared_preload_libraries = 'pg_stat_statements'",
      // one transaction creates all the tables: each takes several locks
      'max_locks_per_transaction = 1024',
      'autovacuum = off',
      '',
    ].join('\n'),
  );
  await asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-w', '-l', path.join(dataDir, 'server.log'), 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  admin = new pg.Client({ connectionString: url, application_name: 'bench-seed' });
  await admin.connect();

  const seedStarted = performance.now();
  await admin.query('CREATE EXTENSION pg_stat_statements');
  // the conditions; "big_*" are among the largest tables, "small_*" are not (every filler table is bigger)
  await admin.query(`
    CREATE TABLE big_orders (id int, customer_id int, note text);
    INSERT INTO big_orders SELECT g, g % 1000, md5(g::text) FROM generate_series(1, 200000) g;
    CREATE INDEX big_orders_note_idx ON big_orders (note);
    CREATE INDEX big_orders_id_idx ON big_orders (id);
    CREATE INDEX big_orders_id_note_idx ON big_orders (id, note);
    CREATE TABLE small_events (id int);
    INSERT INTO small_events SELECT g FROM generate_series(1, 12000) g;
    CREATE TABLE small_tags (id int, name text);
    INSERT INTO small_tags SELECT g, 't' || g FROM generate_series(1, 50) g;
    CREATE INDEX small_tags_name_idx ON small_tags (name);
    CREATE INDEX small_tags_name_id_idx ON small_tags (name, id);
    CREATE TABLE small_codes (code text);
    INSERT INTO small_codes VALUES ('A'), ('A');
  `);
  await admin.query('CREATE UNIQUE INDEX CONCURRENTLY small_codes_key ON small_codes (code)').catch(() => undefined);
  // filler tables: 2 indexes each; the first 600 hold ~470 kB each, so small_events (~360 kB) is not among the 500 largest
  const batch = 500;
  for (let start = 0; start < tables; start += batch) {
    const end = Math.min(tables, start + batch);
    await admin.query(`DO $$ BEGIN
      FOR i IN ${start}..${end - 1} LOOP
        EXECUTE format('CREATE TABLE filler_%s (id int PRIMARY KEY, a int, pad text)', i);
        EXECUTE format('CREATE INDEX filler_%s_a_idx ON filler_%s (a)', i, i);
        IF i < 600 THEN
          EXECUTE format('INSERT INTO filler_%s SELECT g, g, repeat(''x'', 1000) FROM generate_series(1, 400) g', i);
        ELSIF i % 10 = 0 THEN
          EXECUTE format('INSERT INTO filler_%s SELECT g, g, ''x'' FROM generate_series(1, 20) g', i);
        END IF;
      END LOOP; END $$`);
  }
  await admin.query('ANALYZE');
  // the workload: sequential scans on the tables without a usable index, index scans elsewhere
  for (let i = 0; i < 20; i++) {
    await admin.query('SELECT count(*) FROM big_orders WHERE customer_id = $1', [i]);
    await admin.query('SELECT count(*) FROM small_events WHERE id = $1', [i]);
  }
  await admin.query("SELECT pg_stat_force_next_flush()").catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const [{ count: indexCount }] = (
    await admin.query(`select count(*)::int as count from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`)
  ).rows;
  const [{ count: tableCount }] = (await admin.query(`select count(*)::int as count from pg_stat_user_tables`)).rows;
  console.log(`seeded ${tableCount} tables and ${indexCount} indexes in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (PostgreSQL ${majors[0]})`);

  // a port that times every query, to show where the time goes
  const queryTimes = new Map();
  const timedPort = {
    async connect(target, options) {
      const session = await realPostgresPort.connect(target, options);
      const timed = (fn) => async (text, params) => {
        const started = performance.now();
        try {
          return await fn(text, params);
        } finally {
          const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
          queryTimes.set(key, (queryTimes.get(key) ?? 0) + performance.now() - started);
        }
      };
      return { query: timed(session.query), simpleQuery: timed(session.simpleQuery), close: () => session.close() };
    },
  };

  const beyond = [];
  let peakConnections = 0;
  let last;
  for (let i = 0; i < runs; i++) {
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where application_name = 'perf-analyze'");
        peakConnections = Math.max(peakConnections, rows[0].n);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    queryTimes.clear();
    const started = performance.now();
    const result = await collectPostgres(timedPort, systemClock, {
      targets: [{ name: 'postgres', url }],
      sampleSeconds: windowSeconds,
      latencySamples: 20,
      topStatements: 10,
      session: { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 },
      signal: new AbortController().signal,
    });
    const evaluation = evaluateRules({ postgres: { status: 'ok', durationMs: 0, data: result.data } }, mergeThresholds({}));
    const wallMs = performance.now() - started;
    polling = false;
    await poll;
    beyond.push(wallMs - windowSeconds * 1000);
    last = { data: result.data, findings: evaluation.findings };
    console.log(`run ${i + 1}: ${Math.round(wallMs)} ms (${Math.round(wallMs - windowSeconds * 1000)} ms beyond the ${windowSeconds} s window)`);
  }
  const slowest = [...queryTimes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log('slowest queries of the last run:');
  for (const [text, ms] of slowest) console.log(`  ${String(Math.round(ms)).padStart(6)} ms  ${text}`);

  const database = last.data.databases[0];
  console.log(
    `reported: ${database.tables?.length ?? 0} tables, ${database.indexes?.length ?? 0} indexes, ${database.sequences?.length ?? 0} sequences; ` +
      `report metrics ${Math.round(JSON.stringify(last.data).length / 1024)} kB; not visible: ${database.notVisible.map((entry) => entry.check).join(', ') || 'none'}`,
  );
  const has = (ruleId, subject) => last.findings.some((finding) => finding.ruleId === ruleId && finding.subject === subject);
  const expected = [
    ['postgres-missing-index', 'postgres:table:public.big_orders'],
    ['postgres-missing-index', 'postgres:table:public.small_events'],
    ['postgres-unused-index', 'postgres:index:public.big_orders_note_idx'],
    ['postgres-duplicate-index', 'postgres:index:public.big_orders_id_idx'],
    ['postgres-duplicate-index', 'postgres:index:public.small_tags_name_idx'],
    ['postgres-invalid-index', 'postgres:index:public.small_codes_key'],
  ];
  let missed = 0;
  for (const [ruleId, subject] of expected) {
    const found = has(ruleId, subject);
    if (!found) missed += 1;
    console.log(`  ${found ? 'found ' : 'MISSED'} ${ruleId} ${subject}`);
  }
  const med = median(beyond);
  console.log(`median beyond the window: ${Math.round(med)} ms over ${runs} runs (target < 3000 ms); most profiler connections at once: ${peakConnections} (target <= 2)`);
  // a shared machine slows every query several times over: say how busy it was
  console.log(`load average at the end: ${os.loadavg().map((value) => value.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  if (med >= 3000 || peakConnections > 2 || missed > 0) {
    console.log('FAIL');
    process.exitCode = 1;
  } else {
    console.log('OK');
  }
} finally {
  if (process.argv.includes('--keep')) {
    console.log(`--keep: cluster left running at postgres://postgres@127.0.0.1:${port}/postgres (data ${dataDir}); stop it with pg_ctl -D ${dataDir} stop`);
    process.exit();
  }
  await admin?.end().catch(() => undefined);
  await asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
