/**
 * Table-driven tests of the PostgreSQL and PgBouncer rules on hand-built facts
 * (tests/support/postgres-fixture.ts): the healthy facts raise nothing, each case changes one
 * fact and must produce exactly the findings listed (subject, severity, evidence value, threshold).
 */
import { describe, expect, test } from '@jest/globals';
import type { IndexAdvice, IndexAdviceSkipped, PostgresMetrics, StatementPlan, TableStats } from '../../../src/contracts/postgres.js';
import type { Rule } from '../../../src/contracts/rule.js';
import { RULES } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { databaseArtifacts, evaluateDatabase, healthyPgBouncer, healthyPostgres, session, statement, type DatabaseRuleCase } from '../../support/postgres-fixture.js';
import { evaluateRule } from '../../../src/rules/engine.js';

const ruleById = (id: string): Rule => {
  const rule = RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
};
const brief = (findings: ReturnType<typeof evaluateDatabase>) =>
  findings === null ? null : findings.map(({ subject, severity, evidence }) => ({ subject, severity, value: evidence.value, threshold: evidence.threshold }));
const shop = (postgres: ReturnType<typeof healthyPostgres>) => postgres.databases[0]!;
const server = (postgres: ReturnType<typeof healthyPostgres>) => postgres.servers[0]!;

/** A statement of the plan step: 160 calls, 58 % of the time, a sequential scan of 400,000 rows filtered on one column. */
const planned = (overrides: Partial<StatementPlan> = {}): StatementPlan => ({
  queryId: '77',
  query: 'SELECT * FROM public.shop_orders WHERE customer_ref = $1',
  calls: 160,
  meanMs: 14,
  totalMs: 2240,
  sharePercent: 58,
  window: null,
  method: 'generic-plan',
  totalCost: 8900,
  seqScannedTables: ['public.shop_orders'],
  problems: [{ kind: 'seq-scan', node: 'Seq Scan', table: 'public.shop_orders', filter: '(shop_orders.customer_ref = $1)', estimatedRows: 1, actualRows: null, tableRows: 400_000, cost: 8900 }],
  ...overrides,
});
const verifiedAdvice = (): IndexAdvice => ({
  table: 'public.shop_orders',
  columns: ['customer_ref'],
  createIndex: 'CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)',
  status: 'verified',
  statements: [{ queryId: '77', costBefore: 8900, costAfter: 12 }],
  sizeBytes: 9_000_000,
  estimatedRows: null,
});
/** The plan step's facts on the shop database (a shop_orders table beside the fixture's orders). */
function withPlans(p: PostgresMetrics, statements: StatementPlan[], advice: IndexAdvice[] = [], skipped: IndexAdviceSkipped[] = []): void {
  shop(p).queryPlans = { hypopg: true, explainAnalyze: false, totalMs: 3862, windowTotalMs: 0, statements, advice, skipped, durationMs: 120 };
}
const shopOrders = (p: PostgresMetrics, fields: Partial<TableStats>) =>
  shop(p).tables!.push({ ...shop(p).tables![0]!, name: 'public.shop_orders', liveTuples: 400_000, seqScans: 0, indexScans: 0, indexScanPercent: null, indexCount: 1, seqScansInWindow: 0, ...fields });

const TABLES: Record<string, DatabaseRuleCase[]> = {
  'postgres-unreachable': [
    { name: 'reachable: nothing', expected: [] },
    {
      name: 'unreachable database: critical',
      change: (p) => Object.assign(shop(p), { reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' }),
      expected: [{ subject: 'postgres:database:shop', severity: 'critical', value: 'false', threshold: 'reachable' }],
    },
  ],
  'postgres-connections': [
    { name: 'healthy', expected: [] },
    { name: 'at 80 %: nothing', change: (p) => (server(p).connections.utilisationPercent.value = 80), expected: [] },
    { name: 'above 80 %: warning', change: (p) => (server(p).connections.utilisationPercent.value = 85), expected: [{ subject: 'postgres:instance', severity: 'warning', value: 85, threshold: 80 }] },
    { name: 'above 95 %: critical', change: (p) => (server(p).connections.utilisationPercent.value = 97), expected: [{ subject: 'postgres:instance', severity: 'critical', value: 97, threshold: 95 }] },
    { name: 'no server facts: not applicable', change: (p) => (p.servers = []), expected: null },
  ],
  'postgres-idle-in-transaction': [
    { name: 'a 2 s idle transaction: nothing', expected: [] },
    {
      name: 'idle in transaction for 61 s: warning',
      change: (p) => (shop(p).activity!.idleInTransaction[0]!.durationSeconds = 61),
      expected: [{ subject: 'postgres:session:5001', severity: 'warning', value: 61, threshold: 60 }],
    },
    { name: 'threshold lowered', thresholds: { idleInTransactionSeconds: { warning: 1 } }, expected: [{ subject: 'postgres:session:5001', severity: 'warning', value: 2, threshold: 1 }] },
  ],
  'postgres-long-running-query': [
    { name: 'short queries: nothing', expected: [] },
    {
      name: 'query running 90 s: warning',
      change: (p) => (shop(p).activity!.longRunning = [session({ durationSeconds: 90, transactionSeconds: 90 })]),
      expected: [{ subject: 'postgres:session:4242', severity: 'warning', value: 90, threshold: 60 }],
    },
    {
      name: 'short query in a transaction open 200 s: warning on the transaction',
      change: (p) => (shop(p).activity!.longRunning = [session({ durationSeconds: 1, transactionSeconds: 200 })]),
      expected: [{ subject: 'postgres:session:4242', severity: 'warning', value: 200, threshold: 120 }],
    },
  ],
  'postgres-blocked-queries': [
    { name: 'none blocked', expected: [] },
    {
      name: 'one blocked: warning naming the waiting session',
      change: (p) => shop(p).activity!.blocked.push({ ...session({ pid: 7 }), blockedBy: [5001], blockers: [session({ pid: 5001, state: 'idle in transaction' })] }),
      expected: [{ subject: 'postgres:session:7', severity: 'warning', value: 1, threshold: 0 }],
    },
  ],
  'postgres-cache-hit-ratio': [
    { name: '99.8 % / 99.9 %: nothing', expected: [] },
    { name: 'tables 98 %: warning', change: (p) => (shop(p).cacheHit!.tablePercent.value = 98), expected: [{ subject: 'postgres:database:shop', severity: 'warning', value: 98, threshold: 99 }] },
    { name: 'indexes 90 %: critical', change: (p) => (shop(p).cacheHit!.indexPercent.value = 90), expected: [{ subject: 'postgres:database:shop', severity: 'critical', value: 90, threshold: 95 }] },
    { name: 'no reads yet: nothing', change: (p) => (shop(p).cacheHit!.tablePercent.value = null), expected: [] },
  ],
  'postgres-missing-index': [
    { name: 'index scans dominate: nothing', expected: [] },
    {
      name: '50 % sequential on 1,000,000 rows: warning',
      change: (p) => Object.assign(shop(p).tables![0]!, { seqScans: 100, indexScans: 100, indexScanPercent: 50 }),
      expected: [{ subject: 'postgres:table:public.orders', severity: 'warning', value: 50, threshold: 5 }],
    },
    {
      name: 'small table (9,999 rows): nothing',
      change: (p) => Object.assign(shop(p).tables![0]!, { liveTuples: 9_999, seqScans: 100, indexScans: 0, indexScanPercent: 0 }),
      expected: [],
    },
    { name: 'only the scans that built its two indexes: nothing', change: (p) => shopOrders(p, { seqScans: 2, indexScanPercent: 0, indexCount: 2 }), expected: [] },
    { name: 'one seed scan: nothing', change: (p) => shopOrders(p, { seqScans: 1, indexScanPercent: 0, indexCount: 0 }), expected: [] },
    {
      name: 'ten sequential scans in the window: warning',
      change: (p) => shopOrders(p, { seqScans: 12, indexScanPercent: 0, indexCount: 2, seqScansInWindow: 10 }),
      expected: [{ subject: 'postgres:table:public.shop_orders', severity: 'warning', value: 100, threshold: 5 }],
    },
    {
      name: 'a planned statement scanning it 160 times: warning',
      change: (p) => {
        shopOrders(p, { seqScans: 3, indexScanPercent: 0, indexCount: 3 });
        withPlans(p, [planned()], [verifiedAdvice()]);
      },
      expected: [{ subject: 'postgres:table:public.shop_orders', severity: 'warning', value: 100, threshold: 5 }],
    },
  ],
  'postgres-query-plan': [
    { name: 'no plans read: not applicable', expected: null },
    { name: 'a top statement whose plan has no costly node: nothing', change: (p) => withPlans(p, [planned({ problems: [], seqScannedTables: [] })]), expected: [] },
    {
      name: '58 % over 160 calls, a sequential scan of 400,000 rows: warning',
      change: (p) => withPlans(p, [planned()], [verifiedAdvice()]),
      expected: [{ subject: 'postgres:query:77', severity: 'warning', value: 58, threshold: 20 }],
    },
    { name: '99 calls: nothing (PgHero: from 100 calls)', change: (p) => withPlans(p, [planned({ calls: 99 })]), expected: [] },
    { name: '19.9 % of the time: nothing', change: (p) => withPlans(p, [planned({ sharePercent: 19.9 })]), expected: [] },
    {
      name: 'a sequential scan of a 5,000-row table: nothing (the planner is right to scan it)',
      change: (p) => withPlans(p, [planned({ problems: [{ ...planned().problems[0]!, tableRows: 5000 }] })]),
      expected: [],
    },
    {
      name: "the run's window, when the statement ran enough in it: its share there",
      change: (p) => withPlans(p, [planned({ sharePercent: 10, window: { calls: 150, totalMs: 2000, sharePercent: 71 } })]),
      expected: [{ subject: 'postgres:query:77', severity: 'warning', value: 71, threshold: 20 }],
    },
  ],
  'postgres-unused-index': [
    { name: 'used: nothing', expected: [] },
    {
      name: 'unused 20 MB: warning',
      change: (p) => shop(p).indexes!.push({ name: 'public.orders_note_idx', table: 'public.orders', scans: 0, sizeBytes: 20_000_000, valid: true, unique: false, primary: false, definition: 'CREATE INDEX orders_note_idx ON public.orders USING btree (note)', duplicateOf: null }),
      expected: [{ subject: 'postgres:index:public.orders_note_idx', severity: 'warning', value: 20_000_000, threshold: 10_000_000 }],
    },
    {
      name: 'unused but 5 MB, or unique: nothing',
      change: (p) => {
        shop(p).indexes!.push({ name: 'public.small_idx', table: 'public.orders', scans: 0, sizeBytes: 5_000_000, valid: true, unique: false, primary: false, definition: 'x', duplicateOf: null });
        shop(p).indexes!.push({ name: 'public.uniq_idx', table: 'public.orders', scans: 0, sizeBytes: 50_000_000, valid: true, unique: true, primary: false, definition: 'x', duplicateOf: null });
      },
      expected: [],
    },
  ],
  'postgres-duplicate-index': [
    { name: 'no duplicate', expected: [] },
    {
      name: 'duplicate: warning',
      change: (p) => shop(p).indexes!.push({ name: 'public.orders_id_idx', table: 'public.orders', scans: 3, sizeBytes: 1, valid: true, unique: false, primary: false, definition: 'x', duplicateOf: 'public.orders_pkey' }),
      expected: [{ subject: 'postgres:index:public.orders_id_idx', severity: 'warning', value: 'public.orders_pkey', threshold: 'no duplicate' }],
    },
  ],
  'postgres-invalid-index': [
    { name: 'all valid', expected: [] },
    {
      name: 'invalid: warning',
      change: (p) => shop(p).indexes!.push({ name: 'public.coupons_code_key', table: 'public.coupons', scans: 0, sizeBytes: 8192, valid: false, unique: true, primary: false, definition: 'CREATE UNIQUE INDEX coupons_code_key ON public.coupons USING btree (code)', duplicateOf: null }),
      expected: [{ subject: 'postgres:index:public.coupons_code_key', severity: 'warning', value: 'false', threshold: 'valid' }],
    },
  ],
  'postgres-dead-tuples': [
    { name: '5,000 dead: nothing', expected: [] },
    { name: '200,000 dead of 1,000,000 (20 %): warning', change: (p) => (shop(p).tables![0]!.deadTuples = 200_000), expected: [{ subject: 'postgres:table:public.orders', severity: 'warning', value: 200_000, threshold: 10_000 }] },
    { name: '50,000 dead but 5 % of live: nothing', change: (p) => (shop(p).tables![0]!.deadTuples = 50_000), expected: [] },
  ],
  'postgres-table-bloat': [
    { name: '1 MB wasted: nothing', expected: [] },
    { name: '2 GB wasted: warning', change: (p) => (shop(p).tables![0]!.bloatBytes = 2 * 1024 ** 3), expected: [{ subject: 'postgres:table:public.orders', severity: 'warning', value: 2 * 1024 ** 3, threshold: 1024 ** 3 }] },
    { name: '6 GB wasted: critical', change: (p) => (shop(p).tables![0]!.bloatBytes = 6 * 1024 ** 3), expected: [{ subject: 'postgres:table:public.orders', severity: 'critical', value: 6 * 1024 ** 3, threshold: 5 * 1024 ** 3 }] },
    { name: 'no statistics to estimate from: nothing', change: (p) => (shop(p).tables![0]!.bloatBytes = null), expected: [] },
  ],
  'postgres-vacuum-age': [
    { name: 'vacuumed yesterday', expected: [] },
    { name: '12 days on a changed table: warning', change: (p) => (shop(p).tables![0]!.vacuumAgeDays = 12), expected: [{ subject: 'postgres:table:public.orders', severity: 'warning', value: 12, threshold: 10 }] },
    { name: '12 days, unchanged: nothing', change: (p) => Object.assign(shop(p).tables![0]!, { vacuumAgeDays: 12, modificationsSinceAnalyze: 0 }), expected: [] },
  ],
  'postgres-sequence-exhaustion': [
    { name: 'far from the max', expected: [] },
    { name: '92 %: warning', change: (p) => (shop(p).sequences![0]!.usedPercent = 92), expected: [{ subject: 'postgres:sequence:public.orders_id_seq', severity: 'warning', value: 92, threshold: 90 }] },
    { name: '97.8 %: critical', change: (p) => (shop(p).sequences![0]!.usedPercent = 97.8), expected: [{ subject: 'postgres:sequence:public.orders_id_seq', severity: 'critical', value: 97.8, threshold: 95 }] },
  ],
  'postgres-xid-age': [
    { name: '50 M', expected: [] },
    { name: '1.2 B: warning', change: (p) => (server(p).xidAge[0]!.age = 1.2e9), expected: [{ subject: 'postgres:database:shop', severity: 'warning', value: 1.2e9, threshold: 1e9 }] },
    { name: '1.6 B: critical', change: (p) => (server(p).xidAge[0]!.age = 1.6e9), expected: [{ subject: 'postgres:database:shop', severity: 'critical', value: 1.6e9, threshold: 1.5e9 }] },
  ],
  'postgres-rollback-ratio': [
    { name: '0.8 %', expected: [] },
    { name: '25 %: warning', change: (p) => (shop(p).stats!.rollbackPercent.value = 25), expected: [{ subject: 'postgres:database:shop', severity: 'warning', value: 25, threshold: 10 }] },
    { name: 'no transactions in the window: nothing', change: (p) => (shop(p).stats!.rollbackPercent.value = null), expected: [] },
  ],
  'postgres-checkpoints': [
    { name: '10 % requested', expected: [] },
    { name: '70 % requested: warning', change: (p) => (server(p).checkpoints!.requestedPercent.value = 70), expected: [{ subject: 'postgres:instance', severity: 'warning', value: 70, threshold: 50 }] },
    { name: 'not visible: not applicable', change: (p) => (server(p).checkpoints = null), expected: null },
  ],
  'postgres-slow-statements': [
    { name: '2 ms mean', expected: [] },
    { name: '45 ms over 500 calls: warning', change: (p) => (shop(p).statements!.topByMeanTime = [statement({ meanMs: 45, calls: 500 })]), expected: [{ subject: 'postgres:query:1234567890', severity: 'warning', value: 45, threshold: 20 }] },
    { name: '45 ms over 50 calls: nothing', change: (p) => (shop(p).statements!.topByMeanTime = [statement({ meanMs: 45, calls: 50 })]), expected: [] },
    { name: 'extension missing: not applicable', change: (p) => (shop(p).statements = null), expected: null },
  ],
  'postgres-average-query-time': [
    { name: '2 ms', expected: [] },
    { name: '600 ms: warning', change: (p) => (shop(p).statements!.averageMs.value = 600), expected: [{ subject: 'postgres:database:shop', severity: 'warning', value: 600, threshold: 500 }] },
    { name: '1500 ms: critical', change: (p) => (shop(p).statements!.averageMs.value = 1500), expected: [{ subject: 'postgres:database:shop', severity: 'critical', value: 1500, threshold: 1000 }] },
  ],
  'postgres-slow-queries-per-hour': [
    { name: 'none', expected: [] },
    { name: '60/h: warning', change: (p) => (shop(p).statements!.slowCallsPerHour.value = 60), expected: [{ subject: 'postgres:database:shop', severity: 'warning', value: 60, threshold: 50 }] },
    { name: '150/h: critical', change: (p) => (shop(p).statements!.slowCallsPerHour.value = 150), expected: [{ subject: 'postgres:database:shop', severity: 'critical', value: 150, threshold: 100 }] },
  ],
  'postgres-statements-missing': [
    { name: 'present', expected: [] },
    { name: 'missing: info', change: (p) => (shop(p).statements = null), expected: [{ subject: 'postgres:database:shop', severity: 'info', value: null, threshold: 'pg_stat_statements' }] },
  ],
  'postgres-replication': [
    { name: 'active slot', expected: [] },
    { name: 'inactive slot: warning', change: (p) => (server(p).replication.slots[0]!.active = false), expected: [{ subject: 'postgres:slot:replica_1', severity: 'warning', value: 'false', threshold: 'active' }] },
  ],
  'postgres-settings-review': [
    { name: 'tuned settings', expected: [] },
    { name: 'random_page_cost 4: info', change: (p) => (server(p).settings.find((s) => s.name === 'random_page_cost')!.numeric = 4), expected: [{ subject: 'postgres:instance', severity: 'info', value: 4, threshold: 4 }] },
  ],
  'postgres-not-visible': [
    { name: 'everything visible', expected: [] },
    {
      name: 'hidden sessions: info',
      change: (p) => shop(p).notVisible.push({ check: 'sessions of other roles', reason: 'role perf is not a member of pg_read_all_stats; GRANT pg_monitor TO perf' }),
      expected: [{ subject: 'postgres:database:shop', severity: 'info', value: 1, threshold: 0 }],
    },
  ],
  'pgbouncer-unreachable': [
    { name: 'reachable', expected: [] },
    { name: 'down: critical', changeBouncer: (b) => Object.assign(b, { reachable: false, error: 'ECONNREFUSED' }), expected: [{ subject: 'pgbouncer:instance', severity: 'critical', value: 'false', threshold: 'reachable' }] },
  ],
  'pgbouncer-clients-waiting': [
    { name: 'no one waiting', expected: [] },
    { name: '5 waiting: nothing (spec: > 5)', changeBouncer: (b) => (b.pools[0]!.clientsWaiting = 5), expected: [] },
    { name: '8 waiting: warning', changeBouncer: (b) => (b.pools[0]!.clientsWaiting = 8), expected: [{ subject: 'pgbouncer:pool:shop/app', severity: 'warning', value: 8, threshold: 5 }] },
    { name: '25 waiting: critical', changeBouncer: (b) => (b.pools[0]!.clientsWaiting = 25), expected: [{ subject: 'pgbouncer:pool:shop/app', severity: 'critical', value: 25, threshold: 20 }] },
    { name: '2 waiting for 20 s: critical on maxwait', changeBouncer: (b) => Object.assign(b.pools[0]!, { clientsWaiting: 2, maxWaitSeconds: 20 }), expected: [{ subject: 'pgbouncer:pool:shop/app', severity: 'critical', value: 20, threshold: 15 }] },
  ],
  'pgbouncer-pool-utilisation': [
    { name: '25 %', expected: [] },
    { name: '100 %: critical', changeBouncer: (b) => (b.pools[0]!.utilisationPercent = 100), expected: [{ subject: 'pgbouncer:pool:shop/app', severity: 'critical', value: 100, threshold: 95 }] },
    { name: 'clients 85 % of max_client_conn: warning', changeBouncer: (b) => (b.clientUtilisationPercent = 85), expected: [{ subject: 'pgbouncer:instance', severity: 'warning', value: 85, threshold: 80 }] },
  ],
};

describe.each(Object.entries(TABLES))('%s', (ruleId, cases) => {
  const rule = ruleById(ruleId);
  test.each(cases)('$name', ({ change, changeBouncer, thresholds, expected }) => {
    expect(brief(evaluateDatabase(rule, change, thresholds, changeBouncer))).toEqual(expected);
  });
  test('not applicable without the database artifacts', () => {
    expect(evaluateRule(rule, { artifacts: {}, thresholds: mergeThresholds() })).toBeNull();
    expect(evaluateRule(rule, { artifacts: { postgres: { status: 'error', durationMs: 1, error: 'boom' }, pgbouncer: { status: 'error', durationMs: 1, error: 'boom' } }, thresholds: mergeThresholds() })).toBeNull();
  });
});

describe('the query finding and the missing-index finding agree on the index', () => {
  test('verified with HypoPG: the exact CREATE INDEX and the planner costs, in both', () => {
    const change = (p: PostgresMetrics) => {
      shopOrders(p, { seqScans: 163, indexScanPercent: 0, indexCount: 1 });
      withPlans(p, [planned()], [verifiedAdvice()]);
    };
    const [query] = evaluateDatabase(ruleById('postgres-query-plan'), change)!;
    expect(query!.message).toContain('took 58.0 % of all statement time since the statistics reset (160 calls; mean 14 ms');
    expect(query!.message).toContain('a sequential scan of public.shop_orders (400,000 rows) filtered on (shop_orders.customer_ref = $1)');
    expect(query!.recommendation).toBe('CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref): planner cost 8,900 -> 12 with a hypothetical index (HypoPG, about 8.6 MiB)');
    const [table] = evaluateDatabase(ruleById('postgres-missing-index'), change)!;
    expect(table!.recommendation).toContain('CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref): planner cost 8,900 -> 12');
    expect(table!.title).toBe('Sequential scans on public.shop_orders: index (customer_ref)');
  });

  test('unverified without HypoPG; and no placeholder column when there is no advice', () => {
    const unverified = { ...verifiedAdvice(), status: 'unverified' as const, statements: [{ queryId: '77', costBefore: 8900, costAfter: null }], sizeBytes: null, estimatedRows: 3 };
    const [query] = evaluateDatabase(ruleById('postgres-query-plan'), (p) => withPlans(p, [planned()], [unverified]))!;
    expect(query!.recommendation).toContain('CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref) (unverified: HypoPG is not installed');
    const skipped = [{ table: 'public.shop_orders', column: 'email', reason: 'read through the expression lower(email)' }];
    const [bare] = evaluateDatabase(ruleById('postgres-query-plan'), (p) => withPlans(p, [planned()], [], skipped))!;
    expect(bare!.recommendation).toContain('email: read through the expression lower(email)');
    const [table] = evaluateDatabase(ruleById('postgres-missing-index'), (p) => Object.assign(shop(p).tables![0]!, { seqScans: 100, indexScans: 100, indexScanPercent: 50 }))!;
    expect(table!.recommendation).not.toContain('<column>');
  });
});

test('every database rule has a table here', () => {
  const databaseRules = RULES.filter((rule) => rule.component === 'database').map((rule) => rule.id);
  expect(databaseRules.sort()).toEqual(Object.keys(TABLES).sort());
});

test('the healthy fixture raises no finding from any rule', () => {
  const artifacts = databaseArtifacts(healthyPostgres(), healthyPgBouncer());
  const findings = RULES.flatMap((rule) => evaluateRule(rule, { artifacts, thresholds: mergeThresholds() }) ?? []);
  expect(findings).toEqual([]);
});

test('recommendations name the exact object', () => {
  const [blocked] = evaluateDatabase(ruleById('postgres-blocked-queries'), (p) =>
    shop(p).activity!.blocked.push({ ...session({ pid: 7 }), blockedBy: [5001], blockers: [session({ pid: 5001, state: 'idle in transaction', application: 'billing' })] }),
  )!;
  expect(blocked!.recommendation).toContain('pg_terminate_backend(5001)');
  expect(blocked!.recommendation).toContain('"billing"');
  const [invalid] = evaluateDatabase(ruleById('postgres-invalid-index'), (p) =>
    shop(p).indexes!.push({ name: 'public.coupons_code_key', table: 'public.coupons', scans: 0, sizeBytes: 8192, valid: false, unique: true, primary: false, definition: 'CREATE UNIQUE INDEX coupons_code_key ON public.coupons USING btree (code)', duplicateOf: null }),
  )!;
  expect(invalid!.recommendation).toContain('DROP INDEX CONCURRENTLY public.coupons_code_key');
  expect(invalid!.recommendation).toContain('CREATE UNIQUE INDEX CONCURRENTLY coupons_code_key ON public.coupons');
});
