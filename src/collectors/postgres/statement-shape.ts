/**
 * The shape of a statement as PostgreSQL's own parser sees it (libpg-query: the server's parser
 * compiled to WASM, no native build): the tables it reads and, per table, the columns an index could
 * serve, from WHERE (equality before range), JOIN conditions and ORDER BY. A column inside an
 * expression (lower(email) = $1, email::text = $1) gives no plain-column candidate: a plain index on
 * the column would not serve it, so it is recorded as an expression instead.
 */
import { loadModule, parseSync } from 'libpg-query';
import { errorMessage } from '../../shared/errors.js';

export type ColumnUseKind = 'equality' | 'range' | 'join' | 'order';

export interface TableRef {
  /** null when the statement does not qualify it (the search path decides) */
  schema: string | null;
  name: string;
}

export interface ColumnUse {
  /** the table the column belongs to; null when unqualified in a statement over several tables */
  table: TableRef | null;
  column: string;
  kind: ColumnUseKind;
}

export interface ExpressionUse {
  table: TableRef | null;
  /** the column(s) the expression reads */
  columns: string[];
  /** e.g. "lower(email)" */
  text: string;
}

export interface StatementShape {
  kind: 'select' | 'insert' | 'update' | 'delete' | 'other';
  tables: TableRef[];
  columns: ColumnUse[];
  expressions: ExpressionUse[];
  /** the highest $n placeholder (pg_stat_statements replaces constants with $n) */
  parameters: number;
}

export type ParsedStatement = { ok: true; shape: StatementShape } | { ok: false; reason: string };

let loaded: Promise<void> | null = null;
/** Loads the WASM parser once per process. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

type Node = Record<string, unknown>;
const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function strings(fields: unknown): string[] | null {
  if (!Array.isArray(fields)) return null;
  const out: string[] = [];
  for (const field of fields) {
    if (!isObject(field) || !isObject(field.String)) return null; // A_Star: t.*
    out.push(String(field.String.sval));
  }
  return out;
}

const COMPARISONS: Record<string, ColumnUseKind> = { '=': 'equality', '<': 'range', '>': 'range', '<=': 'range', '>=': 'range' };

/** Parses one statement; refuses several statements in one text, and text the parser rejects. */
export async function parseStatement(text: string): Promise<ParsedStatement> {
  await loadParser();
  let tree: { stmts?: Array<{ stmt?: Node }> };
  try {
    tree = parseSync(text) as unknown as typeof tree;
  } catch (error) {
    return { ok: false, reason: `not parsable: ${errorMessage(error)}` };
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1 || !stmts[0]?.stmt) return { ok: false, reason: stmts.length === 0 ? 'empty statement' : `${stmts.length} statements in one text: refused` };
  return { ok: true, shape: shapeOf(stmts[0].stmt) };
}

export function shapeOf(stmt: Node): StatementShape {
  const kindKey = Object.keys(stmt)[0] ?? '';
  const kind: StatementShape['kind'] =
    kindKey === 'SelectStmt' ? 'select' : kindKey === 'InsertStmt' ? 'insert' : kindKey === 'UpdateStmt' ? 'update' : kindKey === 'DeleteStmt' ? 'delete' : 'other';

  const tables: TableRef[] = [];
  const aliases = new Map<string, TableRef>();
  const cteNames = new Set<string>();
  const conditions: Node[] = [];
  const sorts: unknown[] = [];
  let parameters = 0;

  // one pass over the whole tree: tables, aliases, CTE names, parameters, and where the conditions are
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      // FROM items are wrapped ({RangeVar: ...}); the target of INSERT / UPDATE / DELETE is not ({relation: ...})
      if ((key === 'RangeVar' || key === 'relation') && isObject(child) && typeof child.relname === 'string') {
        const ref: TableRef = { schema: typeof child.schemaname === 'string' ? child.schemaname : null, name: String(child.relname) };
        if (!tables.some((t) => t.schema === ref.schema && t.name === ref.name)) tables.push(ref);
        const alias = isObject(child.alias) ? String(child.alias.aliasname) : null;
        aliases.set(alias ?? ref.name, ref);
        if (alias === null && ref.schema !== null) aliases.set(`${ref.schema}.${ref.name}`, ref);
      } else if (key === 'CommonTableExpr' && isObject(child)) {
        cteNames.add(String(child.ctename));
      } else if (key === 'ParamRef' && isObject(child)) {
        parameters = Math.max(parameters, Number(child.number ?? 0));
      } else if ((key === 'whereClause' || key === 'quals') && isObject(child)) {
        conditions.push(child);
      } else if (key === 'sortClause' && Array.isArray(child)) {
        sorts.push(...child);
      }
      visit(child);
    }
  };
  visit(stmt);

  const realTables = tables.filter((t) => !(t.schema === null && cteNames.has(t.name)));
  const resolve = (qualifier: string[]): TableRef | null => {
    if (qualifier.length === 0) return realTables.length === 1 ? realTables[0]! : null;
    const ref = aliases.get(qualifier.join('.')) ?? aliases.get(qualifier[qualifier.length - 1]!);
    return ref && !(ref.schema === null && cteNames.has(ref.name)) ? ref : null;
  };
  const columnOf = (node: unknown): { table: TableRef | null; column: string } | null => {
    if (!isObject(node) || !isObject(node.ColumnRef)) return null;
    const parts = strings(node.ColumnRef.fields);
    if (!parts || parts.length === 0) return null;
    const column = parts[parts.length - 1]!;
    const qualifier = parts.slice(0, -1);
    const table = resolve(qualifier);
    if (qualifier.length > 0 && table === null) return null; // a CTE's or subquery's column
    return { table, column };
  };
  const columnsInside = (node: unknown): Array<{ table: TableRef | null; column: string }> => {
    const found: Array<{ table: TableRef | null; column: string }> = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(walk);
      if (!isObject(value)) return;
      const column = columnOf(value);
      if (column) found.push(column);
      else if (!('SubLink' in value)) Object.values(value).forEach(walk);
    };
    walk(node);
    return found;
  };

  const columns: ColumnUse[] = [];
  const expressions: ExpressionUse[] = [];
  const add = (use: ColumnUse) => {
    if (!columns.some((c) => c.column === use.column && c.kind === use.kind && sameTable(c.table, use.table))) columns.push(use);
  };
  const expression = (node: Node) => {
    const inside = columnsInside(node);
    if (inside.length === 0) return;
    const table = inside.every((c) => sameTable(c.table, inside[0]!.table)) ? inside[0]!.table : null;
    expressions.push({ table, columns: [...new Set(inside.map((c) => c.column))], text: describeExpression(node) });
  };
  /** one side of a comparison: a plain column, an expression over columns, or neither (a parameter, a constant) */
  const side = (node: unknown): 'column' | 'expression' | 'value' => (columnOf(node) ? 'column' : columnsInside(node).length > 0 ? 'expression' : 'value');

  const condition = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(condition);
    if (!isObject(node)) return;
    if (isObject(node.BoolExpr)) return condition(node.BoolExpr.args);
    if (isObject(node.A_Expr)) {
      const expr = node.A_Expr;
      const op = strings(expr.name)?.join('') ?? '';
      const left = side(expr.lexpr);
      const right = side(expr.rexpr);
      let kind: ColumnUseKind | undefined;
      if (expr.kind === 'AEXPR_OP') kind = COMPARISONS[op];
      else if (expr.kind === 'AEXPR_IN') kind = op === '=' ? 'equality' : undefined;
      else if (expr.kind === 'AEXPR_BETWEEN') kind = 'range';
      if (kind === undefined) return;
      if (left === 'column' && right === 'column') {
        for (const operand of [expr.lexpr, expr.rexpr]) add({ ...columnOf(operand)!, kind: kind === 'equality' ? 'join' : kind });
        return;
      }
      for (const [mine, other, operand] of [
        [left, right, expr.lexpr],
        [right, left, expr.rexpr],
      ] as const) {
        if (other === 'column') continue;
        if (mine === 'column') add({ ...columnOf(operand)!, kind });
        else if (mine === 'expression' && isObject(operand)) expression(operand);
      }
    }
    // NullTest, SubLink (its own WHERE is visited separately), function calls as conditions: no candidate
  };
  conditions.forEach(condition);
  for (const sort of sorts) {
    if (!isObject(sort) || !isObject(sort.SortBy)) continue;
    const column = columnOf(sort.SortBy.node);
    if (column) add({ ...column, kind: 'order' });
    else if (isObject(sort.SortBy.node)) expression(sort.SortBy.node);
  }
  // equality first (an index's best leading column), then joins, ranges, sort order
  const rank: Record<ColumnUseKind, number> = { equality: 0, join: 1, range: 2, order: 3 };
  columns.sort((a, b) => rank[a.kind] - rank[b.kind]);
  return { kind, tables: realTables, columns, expressions, parameters };
}

export function sameTable(a: TableRef | null, b: TableRef | null): boolean {
  if (a === null || b === null) return a === b;
  return a.name === b.name && (a.schema === b.schema || a.schema === null || b.schema === null);
}

function describeExpression(node: Node): string {
  if (isObject(node.FuncCall)) {
    const name = strings(node.FuncCall.funcname)?.join('.') ?? 'function';
    const args = Array.isArray(node.FuncCall.args) ? node.FuncCall.args : [];
    return `${name}(${args.map((arg) => (isObject(arg) ? describeExpression(arg) : '?')).join(', ')})`;
  }
  if (isObject(node.ColumnRef)) return (strings(node.ColumnRef.fields) ?? ['?']).join('.');
  if (isObject(node.TypeCast)) return `${isObject(node.TypeCast.arg) ? describeExpression(node.TypeCast.arg) : '?'}::${(strings((node.TypeCast.typeName as Node | undefined)?.names) ?? ['?']).filter((n) => n !== 'pg_catalog').join('.')}`;
  if (isObject(node.ParamRef)) return `$${String(node.ParamRef.number)}`;
  if (isObject(node.A_Const)) return 'constant';
  return 'expression';
}
