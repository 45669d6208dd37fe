#!/usr/bin/env node
// Target: "the plan and advice step on 50 top statements and a 10,000-table catalog adds under 2 s,
// with at most two connections".
// Starts a throw-away cluster (the demo stack's startPostgres: initdb on a free loopback port), seeds
// N filler tables (a primary key and one index each) and 50 tables of 20,000 rows, each read by its
// own statement filtered on an unindexed column (the 50 top statements of pg_stat_statements). Then
// times the built plan + advice step (dist/: planTopStatements, hypopgInstalled, adviseIndexes) on one
// session, first without HypoPG (unverified advice), then after CREATE EXTENSION hypopg (verified
// advice), `runs` times each, and reports the medians, the first run, the advice found and the most
// profiler connections at once (polled from pg_stat_activity by a separate session).
// Needs the Debian package postgresql-<major>-hypopg for the second half (skipped, said so, without it).
// Usage: npm run build && node bench/postgres-advice.mjs [--tables 10000] [--statements 50] [--runs 5] [--keep]
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { planTopStatements } = await import(path.join(root, 'dist/collectors/postgres/plans.js'));
const { adviseIndexes, hypopgInstalled } = await import(path.join(root, 'dist/collectors/postgres/index-advice.js'));
const { CountingSession } = await import(path.join(root, 'dist/collectors/postgres/session.js'));
const { realPostgresPort } = await import(path.join(root, 'dist/ports/postgres.js'));
const { startPostgres } = await import(path.join(root, 'dist/demo/services.js'));

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const tables = Number(arg('tables', '10000'));
const statements = Number(arg('statements', '50'));
const runs = Number(arg('runs', '5'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const majors = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
const hypopgAvailable = existsSync(`/usr/share/postgresql/${majors[0]}/extension/hypopg.control`);

let admin;
let failed = false;
// one transaction creates a batch of tables, each taking several locks; no autovacuum during the timing
const server = await startPostgres({ settings: { max_locks_per_transaction: 1024, autovacuum: 'off' } });
try {
  const url = server.url;
  admin = new pg.Client({ connectionString: url, application_name: 'bench-seed' });
  await admin.connect();

  const seedStarted = performance.now();
  await admin.query('CREATE EXTENSION pg_stat_statements');
  const batch = 500;
  for (let start = 0; start < tables; start += batch) {
    const end = Math.min(tables, start + batch);
    await admin.query(`DO $$ BEGIN
      FOR i IN ${start}..${end - 1} LOOP
        EXECUTE format('CREATE TABLE filler_%s (id int PRIMARY KEY, a int, pad text)', i);
        EXECUTE format('CREATE INDEX filler_%s_a_idx ON filler_%s (a)', i, i);
      END LOOP; END $$`);
  }
  // the statements' tables (20 calls each, so that they are the top statements by total time): 20,000 rows, an index on id, the filter column (ref) unindexed; an ORDER BY column too
  await admin.query(`DO $$ BEGIN
    FOR i IN 0..${statements - 1} LOOP
      EXECUTE format('CREATE TABLE hot_%s (id int PRIMARY KEY, ref text, kind int, created_at int)', i);
      EXECUTE format('INSERT INTO hot_%s SELECT g, ''r'' || g, g %% 7, g FROM generate_series(1, 20000) g', i);
    END LOOP; END $$`);
  await admin.query('ANALYZE');
  await admin.query('SELECT pg_stat_statements_reset()');
  for (let i = 0; i < statements; i++) {
    for (let call = 0; call < 20; call++) await admin.query(`SELECT id, kind FROM hot_${i} WHERE ref = $1 AND kind = $2 ORDER BY created_at LIMIT 10`, [`r${call + 1}`, call]);
  }
  const [{ count: tableCount }] = (await admin.query('select count(*)::int as count from pg_class where relkind = $1', ['r'])).rows;
  console.log(`seeded ${tableCount} tables and ${statements} statements in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (PostgreSQL ${majors[0]})`);

  let peakConnections = 0;
  const step = async () => {
    const session = new CountingSession(await realPostgresPort.connect(url, { statementTimeoutMs: 5000, lockTimeoutMs: 1000, connectTimeoutMs: 3000 }));
    try {
      const started = performance.now();
      const versionNum = Number((await session.query("select current_setting('server_version_num')::int as v"))[0].v);
      const settings = { versionNum, statementTimeoutMs: 5000, explainAnalyze: false };
      const plans = await planTopStatements(session, { ...settings, top: statements }, null);
      const hypopg = await hypopgInstalled(session);
      const { advice } = await adviseIndexes(session, plans.statements, { ...settings, hypopg });
      const hot = plans.statements.filter((statement) => statement.report.query.includes('FROM hot_')).length;
      return { ms: performance.now() - started, planned: plans.statements.length, hot, advice, hypopg };
    } finally {
      await session.close();
    }
  };
  const measure = async (label) => {
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where application_name = 'perf-analyze'");
        peakConnections = Math.max(peakConnections, rows[0].n);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const times = [];
    let last;
    for (let i = 0; i < runs; i++) {
      last = await step();
      times.push(last.ms);
    }
    polling = false;
    await poll;
    const byStatus = {};
    for (const entry of last.advice) byStatus[entry.status] = (byStatus[entry.status] ?? 0) + 1;
    const exact = last.advice.filter((entry) => entry.status !== 'rejected' && entry.columns[0] === 'ref').length;
    console.log(
      `${label}: median ${Math.round(median(times))} ms over ${runs} runs (first ${Math.round(times[0])} ms, all ${times.map((t) => Math.round(t)).join(', ')}); ` +
        `${last.planned} statements planned (${last.hot} of the ${statements} seeded ones); advice ${JSON.stringify(byStatus)}; ${exact} lead with the filter column "ref"`,
    );
    if (median(times) >= 2000 || last.hot < statements || exact < statements) failed = true;
  };

  await measure('without HypoPG (unverified, pg_stats)');
  if (hypopgAvailable) {
    await admin.query('CREATE EXTENSION hypopg');
    await measure('with HypoPG (verified, hypothetical indexes)');
  } else {
    console.log(`with HypoPG: skipped (install postgresql-${majors[0]}-hypopg)`);
  }
  console.log(`most profiler connections at once: ${peakConnections} (target <= 2)`);
  console.log(`load average at the end: ${os.loadavg().map((value) => value.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  if (peakConnections > 2) failed = true;
  console.log(failed ? 'FAIL' : 'OK (target: median < 2000 ms)');
  if (failed) process.exitCode = 1;
} finally {
  if (process.argv.includes('--keep')) {
    console.log(`--keep: cluster left running at ${server.url} (data ${server.dataDir}); stop it with pg_ctl -D ${server.dataDir} stop`);
    process.exit();
  }
  await admin?.end().catch(() => undefined);
  await server.stop();
}
