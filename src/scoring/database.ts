import type { PgBouncerMetrics, PostgresMetrics } from '../contracts/postgres.js';
import type { Thresholds } from '../contracts/thresholds.js';
import { bandScore } from './bands.js';

/**
 * The database component from the specification's inputs: connection pool utilisation
 * (PostgreSQL connections vs max_connections, and PgBouncer pools), query performance
 * (average query time) and the slow query count (per hour). Each is scored on its threshold
 * row and the component is their mean, taking the worst server / database / pool for each.
 * An unreachable configured database scores 0 (DESIGN.md section 4).
 */
export function databaseScore(
  postgres: PostgresMetrics | undefined,
  pgbouncer: PgBouncerMetrics | undefined,
  thresholds: Thresholds,
): { score: number; inputs: Record<string, number>; unreachable: string[] } {
  const inputs: Record<string, number> = {};
  const unreachable = [
    ...(postgres?.databases.filter((database) => !database.reachable).map((database) => `postgres:${database.name}`) ?? []),
    ...(pgbouncer && !pgbouncer.reachable ? ['pgbouncer'] : []),
  ];
  if (unreachable.length > 0) return { score: 0, inputs, unreachable };

  const utilisations = [
    ...(postgres?.servers.map((server) => server.connections.utilisationPercent.value) ?? []),
    ...(pgbouncer?.pools.map((pool) => pool.utilisationPercent) ?? []),
  ].filter((value): value is number => value !== null);
  if (utilisations.length > 0) inputs.connectionPool = bandScore(Math.max(...utilisations), { ...thresholds.connections, ceiling: 100 });

  const statements = postgres?.databases.flatMap((database) => (database.statements ? [database.statements] : [])) ?? [];
  const averages = statements.map((entry) => entry.averageMs.value).filter((value): value is number => value !== null);
  // ceiling: 5 s per statement on average means the database is effectively unusable
  if (averages.length > 0) inputs.queryTime = bandScore(Math.max(...averages), { ...thresholds.averageQueryMs, ceiling: 5 * thresholds.averageQueryMs.critical });
  const slow = statements.map((entry) => entry.slowCallsPerHour.value).filter((value): value is number => value !== null);
  if (slow.length > 0) inputs.slowQueries = bandScore(Math.max(...slow), { ...thresholds.slowQueriesPerHour, ceiling: 10 * thresholds.slowQueriesPerHour.critical });

  const values = Object.values(inputs);
  // reachable with nothing to score (no statements, no pools): the findings alone decide
  const score = values.length === 0 ? 100 : values.reduce((sum, value) => sum + value, 0) / values.length;
  return { score, inputs, unreachable };
}
