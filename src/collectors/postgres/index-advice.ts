/**
 * Index advice for the statements that read a table sequentially: candidate columns from the parsed
 * statement (WHERE equality first, JOIN, range, ORDER BY), minus those an existing valid btree index
 * already leads with; then, where the HypoPG extension is installed in the database, each candidate
 * is verified by the planner: a hypothetical index (hypopg_create_index, session-local, nothing is
 * written) and a second generic EXPLAIN. A candidate is recommended only when it cuts the statement's
 * planner cost by at least half (Dexter's rule); a second column is added when one is not enough
 * (no single column passes, or the pair halves the best single column's cost again).
 * Without HypoPG the advice says it is unverified and picks columns by pg_stats selectivity, adding
 * columns until a lookup is estimated at 50 rows or fewer (PgHero's method).
 *
 * The profiler never creates an extension on the user's server: HypoPG is used only where it is there.
 */
import type { IndexAdvice, IndexAdviceSkipped, QueryPlansMetrics } from '../../contracts/postgres.js';
import type { PostgresPort, SessionOptions } from '../../ports/postgres.js';
import { explainStatement, planStatement, splitNames, type PlanSettings, type PlannedStatement } from './plans.js';
import { CountingSession, num } from './session.js';
import type { ColumnUse } from './statement-shape.js';

/** A candidate must cut the statement's planner cost to at most this fraction. Dexter: at least 50 % cost savings. */
export const MAX_COST_RATIO = 0.5;
/** Without HypoPG, add columns until a lookup is estimated at this many rows or fewer. PgHero (suggested indexes): stop at 50 rows. */
export const TARGET_ROWS = 50;
/** Tables under this many rows are not given advice: a sequential scan of them is the planner's right choice. Ours: a tenth of PgHero's 10,000-row missing-index floor. */
export const ADVICE_MIN_ROWS = 1000;
/** Single columns tried per table and statement, and two-column pairs after them (bounds the EXPLAINs). */
export const MAX_CANDIDATES = 3;
export const MAX_PAIRS = 3;

interface TableCatalog {
  name: string;
  rows: number;
  columns: Set<string>;
  /** leading column -> the valid, non-partial btree index that leads with it */
  leading: Map<string, string>;
  /** column -> estimated fraction of rows one value matches (pg_stats), when known */
  selectivity: Map<string, number>;
}

/** Whether HypoPG is installed in the connected database. */
export async function hypopgInstalled(session: CountingSession): Promise<boolean> {
  const [row] = await session.query<{ installed: boolean }>("select exists (select 1 from pg_extension where extname = 'hypopg') as installed");
  return row?.installed === true;
}

/** A SQL identifier as PostgreSQL accepts it back: bare when plain lower case, quoted otherwise. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(table: string): string {
  const dot = table.indexOf('.');
  return `${quoteIdent(table.slice(0, dot))}.${quoteIdent(table.slice(dot + 1))}`;
}

export function createIndexStatement(table: string, columns: readonly string[], concurrently = true): string {
  return `CREATE INDEX${concurrently ? ' CONCURRENTLY' : ''} ON ${qualifiedName(table)} (${columns.map(quoteIdent).join(', ')})`;
}

async function readCatalog(session: CountingSession, tables: readonly string[]): Promise<Map<string, TableCatalog>> {
  const catalog = new Map<string, TableCatalog>();
  if (tables.length === 0) return catalog;
  const rels = await session.query<{ name: string; rows: number; columns: string[] | null }>(
    `select n.nspname || '.' || c.relname as name, greatest(c.reltuples, 0)::float8 as rows,
            (select array_agg(a.attname::text order by a.attnum) from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
       from unnest($1::text[], $2::text[]) as w(schema_name, table_name)
       join pg_namespace n on n.nspname = w.schema_name
       join pg_class c on c.relnamespace = n.oid and c.relname = w.table_name`,
    splitNames(tables),
  );
  for (const rel of rels) {
    catalog.set(String(rel.name), { name: String(rel.name), rows: num(rel.rows), columns: new Set(rel.columns ?? []), leading: new Map(), selectivity: new Map() });
  }
  const indexes = await session.query<{ table_name: string; index_name: string; first_column: string | null }>(
    `select tn.nspname || '.' || t.relname as table_name, n.nspname || '.' || ci.relname as index_name, a.attname::text as first_column
       from unnest($1::text[], $2::text[]) as w(schema_name, table_name)
       join pg_namespace tn on tn.nspname = w.schema_name
       join pg_class t on t.relnamespace = tn.oid and t.relname = w.table_name
       join pg_index i on i.indrelid = t.oid
       join pg_class ci on ci.oid = i.indexrelid join pg_namespace n on n.oid = ci.relnamespace
       join pg_am am on am.oid = ci.relam
       left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where i.indisvalid and am.amname = 'btree' and i.indpred is null
      order by index_name`,
    splitNames(tables),
  );
  for (const index of indexes) {
    const entry = catalog.get(String(index.table_name));
    if (entry && index.first_column !== null && !entry.leading.has(index.first_column)) entry.leading.set(index.first_column, String(index.index_name));
  }
  const stats = await session.query<{ table_name: string; column: string; null_frac: number; n_distinct: number }>(
    `select s.schemaname || '.' || s.tablename as table_name, s.attname::text as column, s.null_frac::float8, s.n_distinct::float8
       from unnest($1::text[], $2::text[]) as w(schema_name, table_name)
       join pg_stats s on s.schemaname = w.schema_name and s.tablename = w.table_name`,
    splitNames(tables),
  );
  for (const stat of stats) {
    const entry = catalog.get(String(stat.table_name));
    if (!entry) continue;
    const nDistinct = num(stat.n_distinct);
    // n_distinct > 0: a count of distinct values; < 0: minus the fraction of rows that are distinct
    const distinct = nDistinct > 0 ? nDistinct : -nDistinct * Math.max(entry.rows, 1);
    if (distinct > 0) entry.selectivity.set(String(stat.column), (1 - num(stat.null_frac)) / distinct);
  }
  return catalog;
}

function belongs(use: { table: ColumnUse['table']; column: string }, table: TableCatalog): boolean {
  if (use.table === null) return table.columns.has(use.column);
  const dot = table.name.indexOf('.');
  return use.table.name === table.name.slice(dot + 1) && (use.table.schema === null || use.table.schema === table.name.slice(0, dot));
}

/** Planner cost of a statement with one hypothetical index; the index is dropped again (hypopg_reset). */
async function costWithHypotheticalIndex(
  session: CountingSession,
  statement: PlannedStatement,
  table: string,
  columns: readonly string[],
  settings: PlanSettings,
): Promise<{ cost: number; sizeBytes: number | null } | null> {
  if (!statement.shape) return null;
  try {
    const [created] = await session.query<{ size: number | null }>(
      'select hypopg_relation_size(indexrelid)::float8 as size from hypopg_create_index($1)',
      [createIndexStatement(table, columns, false)],
    );
    const explained = await explainStatement(session, statement.text, statement.shape, { ...settings, explainAnalyze: false });
    return { cost: num(explained.root['Total Cost']), sizeBytes: created?.size === null || created?.size === undefined ? null : num(created.size) };
  } catch {
    return null;
  } finally {
    await session.query('select hypopg_reset()').catch(() => undefined);
  }
}

/**
 * Advice for the planned statements: one entry per (table, columns, status), listing the statements
 * it serves; and the columns left out with the reason.
 */
export async function adviseIndexes(
  session: CountingSession,
  planned: readonly PlannedStatement[],
  settings: PlanSettings & { hypopg: boolean; signal?: AbortSignal },
): Promise<{ advice: IndexAdvice[]; skipped: IndexAdviceSkipped[] }> {
  const tables = [...new Set(planned.flatMap((statement) => (statement.root ? statement.report.seqScannedTables : [])))];
  const catalog = await readCatalog(session, tables);
  const advice = new Map<string, IndexAdvice>();
  const skipped = new Map<string, IndexAdviceSkipped>();
  const skip = (table: string, column: string, reason: string) => skipped.set(`${table}|${column}`, { table, column, reason });
  const record = (table: string, columns: string[], status: IndexAdvice['status'], queryId: string, costs: { before: number | null; after: number | null }, sizeBytes: number | null, estimatedRows: number | null) => {
    const key = `${table}|${columns.join(',')}|${status}`;
    const entry = advice.get(key) ?? { table, columns, createIndex: createIndexStatement(table, columns), status, statements: [], sizeBytes, estimatedRows };
    if (!entry.statements.some((s) => s.queryId === queryId)) entry.statements.push({ queryId, costBefore: costs.before, costAfter: costs.after });
    advice.set(key, entry);
  };

  for (const statement of planned) {
    if (settings.signal?.aborted) break;
    if (!statement.root || !statement.shape) continue;
    const queryId = statement.report.queryId;
    const before = statement.report.totalCost;
    for (const tableName of statement.report.seqScannedTables) {
      const table = catalog.get(tableName);
      if (!table || table.rows < ADVICE_MIN_ROWS) continue;
      for (const expression of statement.shape.expressions) {
        if (!belongs({ table: expression.table, column: expression.columns[0] ?? '' }, table)) continue;
        for (const column of expression.columns) {
          skip(tableName, column, `read through the expression ${expression.text}: a plain index on ${column} would not serve it (an expression index on (${expression.text}) would)`);
        }
      }
      const uses = statement.shape.columns.filter((use) => belongs(use, table));
      const candidates: ColumnUse[] = [];
      for (const use of uses) {
        const index = table.leading.get(use.column);
        if (index !== undefined) skip(tableName, use.column, `covered by index ${index}`);
        else if (!candidates.some((c) => c.column === use.column)) candidates.push(use);
      }
      if (candidates.length === 0) continue;

      if (settings.hypopg && before !== null) {
        const tried: Array<{ columns: string[]; cost: number; sizeBytes: number | null }> = [];
        for (const candidate of candidates.slice(0, MAX_CANDIDATES)) {
          const result = await costWithHypotheticalIndex(session, statement, tableName, [candidate.column], settings);
          if (result) tried.push({ columns: [candidate.column], ...result });
        }
        const passes = (cost: number) => cost <= before * MAX_COST_RATIO;
        const single = tried.filter((t) => passes(t.cost)).sort((a, b) => a.cost - b.cost)[0];
        let best = single;
        if (candidates.length > 1) {
          // a second column when one is not enough: none passes alone, or the pair halves the best single column's cost again
          const pairs: string[][] = [];
          for (const first of candidates) for (const second of candidates) if (first !== second && pairs.length < MAX_PAIRS && first.kind !== 'order') pairs.push([first.column, second.column]);
          const pairsTried: typeof tried = [];
          for (const pair of pairs) {
            const result = await costWithHypotheticalIndex(session, statement, tableName, pair, settings);
            if (result) pairsTried.push({ columns: pair, ...result });
          }
          const pair = pairsTried.filter((t) => passes(t.cost)).sort((a, b) => a.cost - b.cost)[0];
          if (pair && (!single || pair.cost <= single.cost * MAX_COST_RATIO)) best = pair;
          tried.push(...pairsTried);
        }
        if (best) record(tableName, best.columns, 'verified', queryId, { before, after: round(best.cost) }, best.sizeBytes, null);
        else {
          const closest = [...tried].sort((a, b) => a.cost - b.cost)[0];
          if (closest) record(tableName, closest.columns, 'rejected', queryId, { before, after: round(closest.cost) }, closest.sizeBytes, null);
        }
        continue;
      }

      // no HypoPG: the most selective equality / join columns first, until a lookup returns <= 50 rows; else a range or sort column
      const selective = candidates
        .filter((c) => c.kind === 'equality' || c.kind === 'join')
        .sort((a, b) => (table.selectivity.get(a.column) ?? 1) - (table.selectivity.get(b.column) ?? 1));
      const columns: string[] = [];
      let rows = table.rows;
      for (const candidate of selective) {
        if (columns.length === 2 || rows <= TARGET_ROWS) break;
        columns.push(candidate.column);
        rows *= table.selectivity.get(candidate.column) ?? 1;
      }
      if (columns.length === 0) columns.push(candidates[0]!.column);
      record(tableName, columns, 'unverified', queryId, { before, after: null }, null, selective.length > 0 ? Math.round(rows) : null);
    }
  }
  const rank = { verified: 0, unverified: 1, rejected: 2 } as const;
  return {
    advice: [...advice.values()].sort((a, b) => rank[a.status] - rank[b.status]),
    skipped: [...skipped.values()].filter((entry) => ![...advice.values()].some((a) => a.status !== 'rejected' && a.table === entry.table && a.columns.includes(entry.column))),
  };
}

export interface StatementToAdvise {
  /** the statement's text ($n placeholders as pg_stat_statements keeps them) */
  text: string;
  queryId?: string;
  calls?: number;
  totalMs?: number;
}

/**
 * Plans and index advice for named statements, on a session of its own (one connection, closed
 * after): for the cross-layer diagnosis, so that an endpoint's root cause and the database phase
 * recommend the same index. Never throws for one statement: its planError says why.
 */
export async function adviseStatements(
  port: PostgresPort,
  url: string,
  sessionOptions: SessionOptions,
  statements: readonly StatementToAdvise[],
  options: { explainAnalyze?: boolean } = {},
): Promise<QueryPlansMetrics> {
  const started = performance.now();
  const session = new CountingSession(await port.connect(url, sessionOptions));
  try {
    const [version] = await session.query<{ v: number }>("select current_setting('server_version_num')::int as v");
    const hypopg = await hypopgInstalled(session);
    const settings: PlanSettings = { versionNum: num(version?.v), statementTimeoutMs: sessionOptions.statementTimeoutMs, explainAnalyze: options.explainAnalyze === true };
    const planned: PlannedStatement[] = [];
    for (const [i, statement] of statements.entries()) {
      const calls = statement.calls ?? 0;
      const totalMs = statement.totalMs ?? 0;
      const result = await planStatement(
        session,
        { queryId: statement.queryId ?? `statement-${i + 1}`, text: statement.text, calls, totalMs, meanMs: calls > 0 ? totalMs / calls : 0 },
        settings,
        { sharePercent: null, window: null },
      );
      if (result) planned.push(result);
    }
    const { advice, skipped } = await adviseIndexes(session, planned, { ...settings, hypopg });
    return {
      hypopg,
      explainAnalyze: settings.explainAnalyze,
      totalMs: 0,
      windowTotalMs: null,
      statements: planned.map((p) => p.report),
      advice,
      skipped,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await session.close();
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
