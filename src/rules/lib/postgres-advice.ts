/**
 * How the index advice of the database phase reads in findings: the exact CREATE INDEX with the
 * planner's costs (verified with HypoPG) or the pg_stats estimate (unverified). Shared by the
 * query-plan and missing-index rules so that both name the same columns. Pure: no I/O, no clock.
 */
import type { IndexAdvice, PostgresDatabaseMetrics, StatementPlan } from '../../contracts/postgres.js';
import { formatBytes, formatCount } from '../levels.js';

/** The advice that serves a statement (verified first, then unverified; rejected advice is no advice). */
export function adviceForStatement(database: Pick<PostgresDatabaseMetrics, 'queryPlans'>, queryId: string): IndexAdvice[] {
  return (database.queryPlans?.advice ?? []).filter((advice) => advice.status !== 'rejected' && advice.statements.some((s) => s.queryId === queryId));
}

/** The advice on a table, the one serving the most statements first. */
export function adviceForTable(database: PostgresDatabaseMetrics, table: string): IndexAdvice[] {
  return (database.queryPlans?.advice ?? [])
    .filter((advice) => advice.status !== 'rejected' && advice.table === table)
    .sort((a, b) => (a.status === b.status ? b.statements.length - a.statements.length : a.status === 'verified' ? -1 : 1));
}

const cost = (value: number | null) => (value === null ? '?' : formatCount(Math.round(value)));

/** "CREATE INDEX CONCURRENTLY ON public.orders (customer_ref): planner cost 8,900 -> 12 with a hypothetical index (HypoPG, about 2.0 MiB)" */
export function describeAdvice(advice: IndexAdvice, queryId?: string): string {
  if (advice.status === 'verified') {
    const costs = advice.statements.find((s) => s.queryId === queryId) ?? advice.statements[0];
    const size = advice.sizeBytes !== null ? `, about ${formatBytes(advice.sizeBytes)}` : '';
    const others = advice.statements.length > 1 ? `; it serves ${advice.statements.length} of the planned statements` : '';
    return `${advice.createIndex}: planner cost ${cost(costs?.costBefore ?? null)} -> ${cost(costs?.costAfter ?? null)} with a hypothetical index (HypoPG${size})${others}`;
  }
  const rows = advice.estimatedRows !== null ? `, about ${formatCount(advice.estimatedRows)} ${Math.round(advice.estimatedRows) === 1 ? 'row' : 'rows'} per lookup by pg_stats` : '';
  return `${advice.createIndex} (unverified: HypoPG is not installed in this database, so the columns were chosen by pg_stats selectivity${rows}; EXPLAIN the statement after creating it)`;
}

/** Why nothing is recommended for a statement's table: covered columns, expressions, or no index that halves the cost. */
export function noAdviceReason(database: Pick<PostgresDatabaseMetrics, 'queryPlans'>, statement: Pick<StatementPlan, 'queryId'>, table: string): string | null {
  const plans = database.queryPlans;
  if (!plans) return null;
  const rejected = plans.advice.find((advice) => advice.status === 'rejected' && advice.table === table && advice.statements.some((s) => s.queryId === statement.queryId));
  const skipped = plans.skipped.filter((entry) => entry.table === table).map((entry) => `${entry.column}: ${entry.reason}`);
  const parts: string[] = [];
  if (rejected) {
    const costs = rejected.statements.find((s) => s.queryId === statement.queryId);
    parts.push(`no one- or two-column index cut its planner cost by half (best tried: ${rejected.createIndex}, ${cost(costs?.costBefore ?? null)} -> ${cost(costs?.costAfter ?? null)})`);
  }
  if (skipped.length > 0) parts.push(`not suggested: ${skipped.join('; ')}`);
  return parts.length > 0 ? parts.join('; ') : null;
}
