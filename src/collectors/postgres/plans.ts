/**
 * Statements with their plans: the top statements by total time in pg_stat_statements, each with
 * its calls, mean and total, its share of database time (since the statistics reset and over the
 * run's window) and the costly nodes of a generic plan.
 *
 * A generic plan needs no parameter values (pg_stat_statements keeps $n, never the constants):
 * PostgreSQL 16+ `EXPLAIN (GENERIC_PLAN)`; 15 and older `PREPARE` + `plan_cache_mode =
 * force_generic_plan` + `EXPLAIN EXECUTE name(NULL, ...)` (the NULLs only fill the parameter list:
 * the generic plan does not look at them). Every EXPLAIN runs in a read-only transaction that is
 * rolled back, under `SET LOCAL statement_timeout`; EXPLAIN ANALYZE (which executes the statement)
 * only when database.explainAnalyze is true, and then only for a SELECT without parameters.
 */
import type { PlanProblem, StatementPlan } from '../../contracts/postgres.js';
import { parseStatement, type StatementShape } from './statement-shape.js';
import { num, type CountingSession } from './session.js';
import { errorMessage } from '../../shared/errors.js';

/** Statements read beyond twice the top N, for those that are not planned (catalog reads, utility statements). */
const OVERREAD = 20;
/** Statement text kept in the report per planned statement (the plan itself is not kept, only its costly nodes). */
export const PLAN_TEXT_LIMIT = 2000;
/** A row estimate off by this factor or more (either way) is a misestimate (EXPLAIN ANALYZE only). Ours: an order of magnitude. */
export const MISESTIMATE_FACTOR = 10;
/** Schemas whose tables are the server's, not the application's: their scans are not the user's to index. */
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

export interface PlanSettings {
  versionNum: number;
  statementTimeoutMs: number;
  explainAnalyze: boolean;
}

export interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Filter?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export interface Explained {
  root: PlanNode;
  method: StatementPlan['method'];
}

const PREPARED_NAME = 'perf_analyze_plan';

/**
 * EXPLAIN of one statement (already parsed: exactly one statement, `parameters` its highest $n).
 * Throws with the server's message when the statement cannot be planned (a dropped table, an
 * untyped parameter on 15).
 */
export async function explainStatement(session: CountingSession, text: string, shape: StatementShape, settings: PlanSettings): Promise<Explained> {
  const analyze = settings.explainAnalyze && shape.kind === 'select' && shape.parameters === 0;
  const generic = settings.versionNum >= 160000 && !analyze;
  const timeout = Math.max(1, Math.round(settings.statementTimeoutMs));
  // one fixed name, deallocated after each use: EXPLAIN EXECUTE is a utility statement that pg_stat_statements keeps by its
  // text, so a new name per statement would add an entry each time (and evict the application's entries at pg_stat_statements.max)
  const name = PREPARED_NAME;
  let preparedHere = false;
  await session.query('BEGIN READ ONLY');
  try {
    await session.query(`SET LOCAL statement_timeout = ${timeout}`);
    let rows: Array<Record<string, unknown>>;
    if (analyze) {
      rows = await session.query(`EXPLAIN (ANALYZE, FORMAT JSON, VERBOSE) ${text}`);
    } else if (generic || shape.parameters === 0) {
      rows = await session.query(`EXPLAIN (${generic ? 'GENERIC_PLAN, ' : ''}FORMAT JSON, VERBOSE) ${text}`);
    } else {
      await session.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await session.query(`PREPARE ${name} AS ${text}`);
      preparedHere = true;
      const nulls = Array.from({ length: shape.parameters }, () => 'NULL').join(', ');
      rows = await session.query(`EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE ${name}(${nulls})`);
    }
    const value = rows[0]?.['QUERY PLAN'];
    const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Array<{ Plan?: PlanNode }> | undefined;
    const root = parsed?.[0]?.Plan;
    if (!root) throw new Error('EXPLAIN returned no plan');
    return { root, method: analyze ? 'explain-analyze' : generic ? 'generic-plan' : shape.parameters === 0 ? 'plan' : 'prepared-generic-plan' };
  } finally {
    // PREPARE outlives a rollback: DEALLOCATE it first (in the same, possibly aborted, transaction it fails: then after)
    await session.query('ROLLBACK').catch(() => undefined);
    if (preparedHere) await session.query(`DEALLOCATE ${name}`).catch(() => undefined);
  }
}

/** Every node of a plan, depth first. */
export function planNodes(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    out.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return out;
}

/** schema.table of the user tables a plan reads with a sequential scan. */
export function seqScannedTables(root: PlanNode): string[] {
  const tables = planNodes(root)
    .filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] !== undefined && !SYSTEM_SCHEMAS.has(node.Schema ?? ''))
    .map((node) => `${node.Schema ?? 'public'}.${node['Relation Name']}`);
  return [...new Set(tables)];
}

/** The costly nodes: sequential scans of user tables (with their filter), and row misestimates when the plan was executed. */
export function planProblems(root: PlanNode, tableRows: ReadonlyMap<string, number>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const node of planNodes(root)) {
    const table = node['Relation Name'] !== undefined ? `${node.Schema ?? 'public'}.${node['Relation Name']}` : null;
    if (table !== null && SYSTEM_SCHEMAS.has(node.Schema ?? '')) continue;
    const estimated = num(node['Plan Rows']);
    const actual = node['Actual Rows'] === undefined ? null : num(node['Actual Rows']);
    if (node['Node Type'] === 'Seq Scan' && table !== null) {
      problems.push({ kind: 'seq-scan', node: 'Seq Scan', table, filter: node.Filter ?? null, estimatedRows: estimated, actualRows: actual, tableRows: tableRows.get(table) ?? null, cost: num(node['Total Cost']) });
    } else if (actual !== null && Math.max(actual, estimated, 1) / Math.max(Math.min(actual, estimated), 1) >= MISESTIMATE_FACTOR) {
      problems.push({ kind: 'misestimate', node: node['Node Type'] ?? 'node', table, filter: node.Filter ?? null, estimatedRows: estimated, actualRows: actual, tableRows: table === null ? null : (tableRows.get(table) ?? null), cost: num(node['Total Cost']) });
    }
  }
  return problems;
}

/**
 * schema.table names as two arrays (schemas, tables) for a join on unnest: the catalogs' indexes on
 * (relname, relnamespace) then find each table, where a filter on a concatenation would read every row
 * of pg_class (or pg_statistic, through pg_stats) of a 10,000-table database.
 */
export function splitNames(tables: readonly string[]): [string[], string[]] {
  const schemas: string[] = [];
  const names: string[] = [];
  for (const table of tables) {
    const dot = table.indexOf('.');
    schemas.push(table.slice(0, dot));
    names.push(table.slice(dot + 1));
  }
  return [schemas, names];
}

/** reltuples of the named tables (schema.table), from the planner's statistics: no scan. */
export async function readTableRows(session: CountingSession, tables: readonly string[]): Promise<Map<string, number>> {
  if (tables.length === 0) return new Map();
  const rows = await session.query<{ name: string; rows: number }>(
    `select n.nspname || '.' || c.relname as name, greatest(c.reltuples, 0)::float8 as rows
       from unnest($1::text[], $2::text[]) as t(schema_name, table_name)
       join pg_namespace n on n.nspname = t.schema_name
       join pg_class c on c.relnamespace = n.oid and c.relname = t.table_name
      where c.relkind in ('r', 'p', 'm')`,
    splitNames(tables),
  );
  return new Map(rows.map((row) => [String(row.name), num(row.rows)]));
}

/** Per-statement counters of pg_stat_statements in this database, summed over roles: a snapshot for window deltas. */
export type StatementCounters = Map<string, { calls: number; totalMs: number }>;

export async function readStatementCounters(session: CountingSession, versionNum: number): Promise<StatementCounters> {
  const total = versionNum >= 130000 ? 'total_exec_time' : 'total_time';
  const rows = await session.query<{ id: string; calls: number; total: number }>(
    `select coalesce(s.queryid::text, '') as id, sum(s.calls)::float8 as calls, sum(s.${total})::float8 as total
       from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = current_database() group by s.queryid`,
  );
  return new Map(rows.map((row) => [String(row.id), { calls: num(row.calls), totalMs: num(row.total) }]));
}

export interface TopStatement {
  queryId: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

/** The top statements by total time, full text, in this database (and any asked for by query id). */
export async function readTopStatements(session: CountingSession, versionNum: number, top: number, queryIds: readonly string[] = []): Promise<TopStatement[]> {
  const total = versionNum >= 130000 ? 'total_exec_time' : 'total_time';
  const rows = await session.query<Record<string, unknown>>(
    `with s as (
       select coalesce(s.queryid::text, '') as id, min(s.query) as query, sum(s.calls)::float8 as calls, sum(s.${total})::float8 as total
         from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = current_database() group by s.queryid)
     (select * from s order by total desc limit $1) union select * from s where id = any($2::text[])`,
    [top, queryIds],
  );
  return rows
    .map((row) => ({ queryId: String(row.id), query: String(row.query ?? ''), calls: num(row.calls), totalMs: num(row.total), meanMs: num(row.calls) > 0 ? num(row.total) / num(row.calls) : 0 }))
    .sort((a, b) => b.totalMs - a.totalMs);
}

/** A statement that was planned, with what the advice needs beside the report's fields. */
export interface PlannedStatement {
  report: StatementPlan;
  shape: StatementShape | null;
  root: PlanNode | null;
  /** the text that was planned (full, not the report's cut) */
  text: string;
}

/** Whether a statement reads no table or only the server's own catalogs (SELECT now(), the profiler's queries, monitoring): not planned. */
function catalogOnly(shape: StatementShape): boolean {
  return shape.tables.every((t) => (t.schema !== null && SYSTEM_SCHEMAS.has(t.schema)) || (t.schema === null && /^pg_/.test(t.name)));
}

/**
 * Plans one statement: parses it (one statement only), EXPLAINs it, and lists its costly nodes.
 * Never throws: a statement that cannot be planned carries the reason.
 */
export async function planStatement(
  session: CountingSession,
  statement: { queryId: string; text: string; calls: number; totalMs: number; meanMs: number },
  settings: PlanSettings,
  shares: { sharePercent: number | null; window: StatementPlan['window'] },
): Promise<PlannedStatement | null> {
  const report: StatementPlan = {
    queryId: statement.queryId,
    query: statement.text.replace(/\s+/g, ' ').trim().slice(0, PLAN_TEXT_LIMIT),
    calls: statement.calls,
    meanMs: round(statement.meanMs),
    totalMs: round(statement.totalMs),
    sharePercent: shares.sharePercent,
    window: shares.window,
    method: null,
    totalCost: null,
    seqScannedTables: [],
    problems: [],
  };
  const parsed = await parseStatement(statement.text);
  if (!parsed.ok) return { report: { ...report, planError: parsed.reason }, shape: null, root: null, text: statement.text };
  const shape = parsed.shape;
  if (shape.kind === 'other') return null; // utility statements (SET, BEGIN, CREATE, EXPLAIN ...): no plan to read
  if (catalogOnly(shape)) return null;
  try {
    const explained = await explainStatement(session, statement.text, shape, settings);
    const scanned = seqScannedTables(explained.root);
    const rows = await readTableRows(session, scanned);
    return {
      report: {
        ...report,
        method: explained.method,
        totalCost: round(num(explained.root['Total Cost'])),
        seqScannedTables: scanned,
        problems: planProblems(explained.root, rows),
      },
      shape,
      root: explained.root,
      text: statement.text,
    };
  } catch (error) {
    return { report: { ...report, planError: errorMessage(error) }, shape, root: null, text: statement.text };
  }
}

/**
 * Plans the top statements by total time. `windowStart` is the snapshot of the counters taken at the
 * start of the run's window (null: no window shares).
 */
export async function planTopStatements(
  session: CountingSession,
  settings: PlanSettings & { top: number; queryIds?: readonly string[]; signal?: AbortSignal },
  windowStart: StatementCounters | null,
): Promise<{ statements: PlannedStatement[]; totalMs: number; windowTotalMs: number | null }> {
  const end = await readStatementCounters(session, settings.versionNum);
  const totalMs = [...end.values()].reduce((sum, entry) => sum + entry.totalMs, 0);
  let windowTotalMs: number | null = null;
  if (windowStart !== null) {
    windowTotalMs = 0;
    for (const [id, entry] of end) windowTotalMs += Math.max(0, entry.totalMs - (windowStart.get(id)?.totalMs ?? 0));
  }
  // read past the top N: the server's own and the profiler's catalog queries, utility statements (SET, BEGIN) are not planned
  // and must not take the application's places in the list
  const top = await readTopStatements(session, settings.versionNum, settings.top * 2 + OVERREAD, settings.queryIds ?? []);
  const planned: PlannedStatement[] = [];
  const named = new Set(settings.queryIds ?? []);
  for (const statement of top) {
    if (settings.signal?.aborted) break;
    if (planned.length >= settings.top && !named.has(statement.queryId)) continue;
    const before = windowStart?.get(statement.queryId);
    const after = end.get(statement.queryId);
    const window =
      windowStart === null || windowTotalMs === null
        ? null
        : (() => {
            const calls = Math.max(0, (after?.calls ?? statement.calls) - (before?.calls ?? 0));
            const ms = Math.max(0, (after?.totalMs ?? statement.totalMs) - (before?.totalMs ?? 0));
            return { calls, totalMs: round(ms), sharePercent: windowTotalMs > 0 ? round((ms / windowTotalMs) * 100) : null };
          })();
    const result = await planStatement(
      session,
      { queryId: statement.queryId, text: statement.query, calls: statement.calls, totalMs: statement.totalMs, meanMs: statement.meanMs },
      settings,
      { sharePercent: totalMs > 0 ? round((statement.totalMs / totalMs) * 100) : null, window },
    );
    if (result !== null) planned.push(result);
  }
  return { statements: planned, totalMs: round(totalMs), windowTotalMs: windowTotalMs === null ? null : round(windowTotalMs) };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
