/** The statement shapes the index advice starts from, read by PostgreSQL's own parser (no server needed). */
import { describe, expect, test } from '@jest/globals';
import { parseStatement, type StatementShape } from '../../../src/collectors/postgres/statement-shape.js';
import { planProblems, seqScannedTables, type PlanNode } from '../../../src/collectors/postgres/plans.js';

async function shape(text: string): Promise<StatementShape> {
  const parsed = await parseStatement(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.shape;
}
const columns = (s: StatementShape) => s.columns.map((c) => `${c.table ? `${c.table.schema ?? ''}.${c.table.name}` : '?'}.${c.column}:${c.kind}`);

describe('parseStatement', () => {
  test('WHERE equality first, then JOIN, then ORDER BY, each on its table through the aliases', async () => {
    const s = await shape('SELECT o.id FROM public.shop_orders o JOIN customers c ON c.id = o.customer_id WHERE o.customer_ref = $1 ORDER BY o.created_at LIMIT $2');
    expect(s.kind).toBe('select');
    expect(s.tables).toEqual([{ schema: 'public', name: 'shop_orders' }, { schema: null, name: 'customers' }]);
    expect(columns(s)).toEqual(['public.shop_orders.customer_ref:equality', '.customers.id:join', 'public.shop_orders.customer_id:join', 'public.shop_orders.created_at:order']);
    expect(s.parameters).toBe(2);
  });

  test('an expression gives no plain-column candidate, and says which expression', async () => {
    const s = await shape('SELECT id FROM users WHERE lower(email) = $1');
    expect(s.columns).toEqual([]);
    expect(s.expressions).toEqual([{ table: { schema: null, name: 'users' }, columns: ['email'], text: 'lower(email)' }]);
  });

  test('UPDATE and DELETE targets; IN is an equality, BETWEEN a range; <> is no candidate', async () => {
    const update = await shape('UPDATE accounts SET balance = $1 WHERE owner IN ($2, $3) AND opened BETWEEN $4 AND $5 AND kind <> $6');
    expect(update.kind).toBe('update');
    expect(columns(update)).toEqual(['.accounts.owner:equality', '.accounts.opened:range']);
    const del = await shape('DELETE FROM sessions WHERE expires_at < $1');
    expect(columns(del)).toEqual(['.sessions.expires_at:range']);
  });

  test('a CTE is not a table; a subquery is walked', async () => {
    const s = await shape('WITH recent AS (SELECT * FROM events WHERE created_at > $1) SELECT * FROM recent WHERE recent.kind = $2 AND EXISTS (SELECT 1 FROM tags t WHERE t.event_id = recent.id)');
    expect(s.tables.map((t) => t.name).sort()).toEqual(['events', 'tags']);
    expect(columns(s)).toContain('.tags.event_id:equality');
  });

  test('several statements in one text are refused; so is text the parser rejects', async () => {
    expect(await parseStatement('SELECT 1; DROP TABLE users')).toEqual({ ok: false, reason: '2 statements in one text: refused' });
    const broken = await parseStatement('SELEC id FROM users');
    expect(broken.ok).toBe(false);
  });
});

describe('plan nodes', () => {
  const plan: PlanNode = {
    'Node Type': 'Hash Join',
    'Total Cost': 9000,
    Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 'shop_orders', Schema: 'public', 'Total Cost': 8900, 'Plan Rows': 1, Filter: '(customer_ref = $1)' },
      { 'Node Type': 'Seq Scan', 'Relation Name': 'pg_class', Schema: 'pg_catalog', 'Total Cost': 20, 'Plan Rows': 400 },
      { 'Node Type': 'Index Scan', 'Relation Name': 'customers', Schema: 'public', 'Total Cost': 8, 'Plan Rows': 1, 'Actual Rows': 5000, 'Actual Loops': 1 },
    ],
  };

  test('sequential scans of user tables, with their filter and the table rows; catalogs left out', () => {
    expect(seqScannedTables(plan)).toEqual(['public.shop_orders']);
    const problems = planProblems(plan, new Map([['public.shop_orders', 400_000]]));
    expect(problems[0]).toEqual({ kind: 'seq-scan', node: 'Seq Scan', table: 'public.shop_orders', filter: '(customer_ref = $1)', estimatedRows: 1, actualRows: null, tableRows: 400_000, cost: 8900 });
  });

  test('a row estimate off by 10x or more, when the plan was executed, is a misestimate', () => {
    const problems = planProblems(plan, new Map());
    expect(problems.map((p) => `${p.kind} ${p.table}`)).toEqual(['seq-scan public.shop_orders', 'misestimate public.customers']);
  });
});
