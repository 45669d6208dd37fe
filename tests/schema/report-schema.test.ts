import { buildDiagnosisMetrics } from '../support/diagnosis-fixture.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { PHASE_ORDER } from '../../src/contracts/artifact.js';
import { SEVERITY_RANK } from '../../src/contracts/finding.js';
import type { Report } from '../../src/contracts/report.js';
import { REPORT_SCHEMA_VERSION } from '../../src/contracts/report.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { healthyDocker } from '../support/docker-fixture.js';
import { buildReport } from '../support/report-fixture.js';
import { healthyPgBouncer, healthyPostgres, session } from '../support/postgres-fixture.js';
import { buildRedisMetrics } from '../support/redis-fixture.js';
import { buildLoadMetrics } from '../support/load-fixture.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: Json };

const schemaPath = new URL('../../schema/report.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaNode;

// strict: true turns every ajv strictness warning (unknown keyword, union types, ...) into
// an error, so the schema stays usable by validators with default settings.
const ajv = new Ajv2020.default({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** The report as a plain JSON value, the way a reader of the file sees it. */
function asJson(report: Report): { [key: string]: Json } {
  return JSON.parse(jsonReporter.render(report, { color: false, files: {} })) as { [key: string]: Json };
}

function errorsOf(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Follows a path of keys and indexes to an object inside `root`. */
function at(root: Json, ...path: Array<string | number>): { [key: string]: Json } {
  let node: Json = root;
  for (const key of path) {
    node = (node as { [key: string]: Json })[key] as Json;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`no object at ${path.join('.')}`);
  return node;
}

/** A report with every optional field present, to exercise the whole schema. */
function fullReport(): Report {
  const base = buildReport();
  return buildReport({
    metrics: {
      ...base.metrics,
      redis: buildRedisMetrics(),
      docker: healthyDocker(),
      diagnosis: buildDiagnosisMetrics(),
      load: buildLoadMetrics((load) => ((load.ladder[1]!.errors.timeout = 1), (load.thinkTimeSeconds = 5))),
      postgres: healthyPostgres((postgres) => {
        const shop = postgres.databases[0]!;
        shop.error = 'connection lost mid-phase';
        shop.notVisible.push({ check: 'sequences (pg_sequences)', reason: 'permission denied' });
        shop.activity!.blocked.push({ ...session({ pid: 7, waitEvent: 'Lock:transactionid' }), blockedBy: [5001], blockers: [session({ pid: 5001 })] });
        Object.assign(shop.statements!, { slowCalls: 1, historyHours: 0.2 });
        Object.assign(shop.tables![0]!, { seqScansInWindow: 3, indexCount: 2 });
        shop.queryPlans = {
          hypopg: true,
          explainAnalyze: false,
          totalMs: 3862,
          windowTotalMs: 120,
          statements: [
            {
              queryId: '77', query: 'SELECT * FROM public.shop_orders WHERE customer_ref = $1', calls: 160, meanMs: 14, totalMs: 2240, sharePercent: 58,
              window: { calls: 10, totalMs: 100, sharePercent: 83.3 }, method: 'prepared-generic-plan', totalCost: 8900, seqScannedTables: ['public.shop_orders'],
              problems: [{ kind: 'seq-scan', node: 'Seq Scan', table: 'public.shop_orders', filter: '(customer_ref = $1)', estimatedRows: 1, actualRows: null, tableRows: 400000, cost: 8900 }],
            },
            { queryId: '78', query: 'SELECT 1; SELECT 2', calls: 1, meanMs: 0.1, totalMs: 0.1, sharePercent: 0, window: null, method: null, totalCost: null, seqScannedTables: [], problems: [], planError: '2 statements in one text: refused' },
          ],
          advice: [
            { table: 'public.shop_orders', columns: ['customer_ref'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)', status: 'verified', statements: [{ queryId: '77', costBefore: 8900, costAfter: 12 }], sizeBytes: 9000000, estimatedRows: null },
          ],
          skipped: [{ table: 'public.shop_orders', column: 'customer_id', reason: 'covered by index public.shop_orders_customer_id_idx' }],
          durationMs: 140,
        };
      }),
      pgbouncer: healthyPgBouncer((pgbouncer) => {
        pgbouncer.error = 'SHOW STATS failed';
      }),
    },
    interrupted: true,
    assessmentReason: 'POOR: 2 critical findings (any critical finding caps the assessment at POOR); health 79/100, performance 81/100',
    // a root-cause finding carries its estimated saving
    findings: buildReport().findings.map((finding, index) => (index === 0 ? { ...finding, estimatedSavingMsPerRequest: 12.5, breakdown: { meanMs: 34, databaseMs: 30, cacheMs: null, otherMs: 4 } } : finding)),
    // all four weights only to exercise the schema; a real run weighs the configured ones
    scores: { ...base.scores, performance: 81, weights: { database: 0.3, system: 0.3, cache: 0.2, api: 0.2 } },
    baseline: {
      file: 'reports/performance_analysis_report_20260101_031500.json',
      startedAt: '2026-01-01T03:15:00.000Z',
      schemaVersion: '1.0.0',
      tolerance: { relativePercent: 25, absolute: { '%': 10, ms: 2 }, confidenceZ: 3, percentileMinChangePercent: 10 },
      metrics: [
        {
          metric: 'api.endpoints[name=GET /x].latency.p95', unit: 'ms', old: 120, new: 260, change: 140, changePercent: 116.7,
          direction: 'higher-is-worse', verdict: 'regression', noise: 14.2, basis: '3 standard errors', samples: { old: 900, new: 900 },
        },
      ],
      findings: {
        new: [],
        resolved: [{ ruleId: 'host-swap-activity', subject: 'host:memory', severity: 'warning', title: 'Swapping' }],
        unchanged: [{ ruleId: 'host-disk-space', subject: 'host:disk:/', severity: 'critical', title: 'Disk', previousSeverity: 'warning' }],
      },
      regressions: ['api.endpoints[name=GET /x].latency.p95'],
      improvements: [],
      summary: { compared: 1, regressions: 1, improvements: 0, unchanged: 0, neutral: 0, added: 0, removed: 0, notComparable: 0 },
    },
    target: {
      host: 'web-01',
      components: {
        database: { configured: true, url: 'postgres://app:***@db:5432/app' },
        system: { configured: true },
        cache: { configured: true, url: 'redis://:***@cache:6379/0' },
        api: { configured: true, url: 'http://api:8000' },
      },
    },
  });
}

describe('schema/report.schema.json', () => {
  it('is a draft 2020-12 schema with an $id, a title and a description', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof schema.$id).toBe('string');
    expect(typeof schema.title).toBe('string');
    expect(typeof schema.description).toBe('string');
  });

  it('accepts the fixture report, as it is written to the file', () => {
    expect(errorsOf(asJson(buildReport()))).toEqual([]);
  });

  it('accepts a report with every optional field present', () => {
    expect(errorsOf(asJson(fullReport()))).toEqual([]);
  });

  it('accepts a report without system metrics and with null tcp / pressure / metric values', () => {
    const noSystem = asJson(buildReport({ metrics: {} }));
    expect(errorsOf(noSystem)).toEqual([]);

    const nulls = asJson(buildReport());
    const system = at(nulls, 'metrics', 'system');
    system.tcp = null;
    system.pressure = null;
    at(system, 'memory', 'swapInPagesPerSec').value = null;
    expect(errorsOf(nulls)).toEqual([]);
  });

  it('accepts the current REPORT_SCHEMA_VERSION and refuses another major', () => {
    const report = asJson(buildReport({ schemaVersion: REPORT_SCHEMA_VERSION }));
    expect(errorsOf(report)).toEqual([]);
    report.schemaVersion = '2.0.0';
    expect(errorsOf(report).join('\n')).toMatch(/schemaVersion/);
  });

  // every top-level field of Report is required, so each one's absence must be refused
  it.each(Object.keys(buildReport()))('refuses a report without %s', (field) => {
    const report = asJson(buildReport());
    delete report[field];
    expect(errorsOf(report).join('\n')).toContain(`must have required property '${field}'`);
  });

  it.each<[string, Array<string | number>, string]>([
    ['a metric without its sampling', ['metrics', 'system', 'cpu', 'totalPercent'], 'sampling'],
    ['a mount without usedPercent', ['metrics', 'system', 'mounts', 0], 'usedPercent'],
    ['system metrics without pressure (null is allowed, absent is not)', ['metrics', 'system'], 'pressure'],
    ['evidence without a threshold', ['findings', 0, 'evidence'], 'threshold'],
    ['a phase without its cost', ['phases', 0], 'cost'],
    ['a component score without basis', ['scores', 'components', 'system'], 'basis'],
    ['nominal weights without cache', ['scores', 'nominalWeights'], 'cache'],
    ['target components without api', ['target', 'components'], 'api'],
  ])('refuses %s', (_name, path, field) => {
    const report = asJson(buildReport());
    delete at(report, ...path)[field];
    expect(errorsOf(report).join('\n')).toContain(`must have required property '${field}'`);
  });

  it.each<[string, Array<string | number>]>([
    ['at the top level', []],
    ['in tool', ['tool']],
    ['in metrics (an unknown collector)', ['metrics']],
    ['in metrics.system.memory', ['metrics', 'system', 'memory']],
    ['in a metric', ['metrics', 'system', 'load', 'load5PerCore']],
    ['in a process sample', ['metrics', 'system', 'topProcessesByCpu', 0]],
    ['in a finding evidence', ['findings', 1, 'evidence']],
    ['in a phase cost', ['phases', 2, 'cost']],
    ['in scores.weights (an unknown component)', ['scores', 'weights']],
    ['in summary', ['summary']],
  ])('refuses an unknown field %s', (_where, path) => {
    const report = asJson(buildReport());
    at(report, ...path).surprise = 1;
    expect(errorsOf(report).join('\n')).toContain('must NOT have additional properties');
  });

  it.each<[string, Array<string | number>, string, Json]>([
    ['phase status', ['phases', 0], 'status', 'done'],
    ['phase id', ['phases', 0], 'id', 'load'],
    ['finding severity', ['findings', 0], 'severity', 'high'],
    ['finding category', ['findings', 0], 'category', 'storage'],
    ['metric sampling', ['metrics', 'system', 'cpu', 'totalPercent'], 'sampling', 'rate'],
    ['rule outcome', ['rules', 0], 'outcome', 'skipped'],
    ['assessment', [], 'assessment', 'OK'],
  ])('refuses a wrong %s', (_name, path, field, value) => {
    const report = asJson(buildReport());
    at(report, ...path)[field] = value;
    expect(errorsOf(report).join('\n')).toMatch(/must be equal to one of the allowed values/);
  });

  it.each<[string, Array<string | number>, string, Json]>([
    ['a health score above 100', ['scores'], 'health', 101],
    ['a negative duration', [], 'durationMs', -1],
    ['a date that is not a date-time', [], 'startedAt', 'yesterday'],
    ['a fractional finding count', ['summary'], 'critical', 1.5],
    ['a string metric value', ['metrics', 'system', 'cpu', 'totalPercent'], 'value', '47%'],
  ])('refuses %s', (_name, path, field, value) => {
    const report = asJson(buildReport());
    at(report, ...path)[field] = value;
    expect(errorsOf(report)).not.toEqual([]);
  });
});

const defs = schema.$defs as { [key: string]: SchemaNode };

/**
 * Walks a JSON value and the schema together. For each object position of the schema
 * (a $defs name, or the path for inline objects) it records the properties the schema
 * declares and the properties the value actually has there, across all occurrences.
 */
function coverage(
  node: SchemaNode,
  value: Json,
  location: string,
  declared: Map<string, Set<string>>,
  present: Map<string, Set<string>>,
): void {
  let resolved = node;
  let here = location;
  if (typeof node.$ref === 'string') {
    here = node.$ref.replace('#/$defs/', '');
    resolved = defs[here] as SchemaNode;
  }
  for (const branch of (resolved.anyOf as SchemaNode[] | undefined) ?? []) coverage(branch, value, here, declared, present);
  const properties = resolved.properties as { [key: string]: SchemaNode } | undefined;
  if (properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    declared.set(here, new Set(Object.keys(properties)));
    const seen = present.get(here) ?? new Set<string>();
    for (const [key, child] of Object.entries(value)) {
      seen.add(key);
      const childSchema = properties[key];
      if (childSchema) coverage(childSchema, child, `${here}.${key}`, declared, present);
    }
    present.set(here, seen);
  }
  if (resolved.items && Array.isArray(value)) {
    for (const item of value) coverage(resolved.items as SchemaNode, item, `${here}[]`, declared, present);
  }
}

describe('the schema stays in step with src/contracts', () => {
  it('phase ids are PHASE_ORDER', () => {
    expect(defs.phaseId?.enum).toEqual([...PHASE_ORDER]);
  });

  it('severities are those of SEVERITY_RANK', () => {
    expect([...((defs.severity?.enum as string[]) ?? [])].sort()).toEqual(Object.keys(SEVERITY_RANK).sort());
  });

  it('REPORT_SCHEMA_VERSION matches the schemaVersion pattern', () => {
    const pattern = at(schema, 'properties', 'schemaVersion').pattern as string;
    expect(REPORT_SCHEMA_VERSION).toMatch(new RegExp(pattern));
  });

  it('every field of Report is required at the top level', () => {
    // baseline is optional (present only with --baseline); assessmentReason was added in 1.x, so older reports lack it
    expect([...(schema.required as string[]), 'baseline', 'assessmentReason'].sort()).toEqual(Object.keys(fullReport()).sort());
  });

  // The fixture is type-checked against Report, and additionalProperties refuses anything
  // the schema lacks; this closes the loop: nothing in the schema is missing from the type.
  it('declares no property that a complete, type-checked report lacks', () => {
    const declared = new Map<string, Set<string>>();
    const present = new Map<string, Set<string>>();
    coverage(schema, asJson(fullReport()), '$', declared, present);

    const neverFilled = [...declared].flatMap(([location, keys]) =>
      [...keys].filter((key) => !present.get(location)?.has(key)).map((key) => `${location}.${key}`),
    );
    expect(neverFilled).toEqual([]);

    const objectDefs = Object.entries(defs).filter(([, def]) => def.properties !== undefined).map(([name]) => name);
    expect(objectDefs.filter((name) => !declared.has(name))).toEqual([]);
  });
});
