/**
 * Helpers of the PostgreSQL and PgBouncer rules: where the facts are and how objects are named.
 * Pure: no I/O, no clock.
 */
import type { PostgresDatabaseMetrics, PostgresMetrics, PostgresServerMetrics } from '../../contracts/postgres.js';

/** Databases that were reached (unreachable ones have their own rule), or null when none was. */
export function reachableDatabases(postgres: PostgresMetrics): PostgresDatabaseMetrics[] | null {
  const reached = postgres.databases.filter((database) => database.reachable);
  return reached.length === 0 ? null : reached;
}

/** Every reachable database's value of `pick`, or null (not applicable) when none had it. */
export function databasesWith<T>(postgres: PostgresMetrics, pick: (database: PostgresDatabaseMetrics) => T | undefined | null): Array<{ database: PostgresDatabaseMetrics; value: T }> | null {
  const databases = reachableDatabases(postgres);
  if (!databases) return null;
  const found = databases.flatMap((database) => {
    const value = pick(database);
    return value === undefined || value === null ? [] : [{ database, value }];
  });
  return found.length === 0 ? null : found;
}

/** The servers the collector read, or null when it read none. */
export function serversOf(postgres: PostgresMetrics): PostgresServerMetrics[] | null {
  return postgres.servers.length === 0 ? null : postgres.servers;
}

/** "postgres:instance" (the server is named in the message, since one run usually has one server). */
export const INSTANCE_SUBJECT = 'postgres:instance';

/** " (database shop on 127.0.0.1:5432)": where an object lives, for messages. */
export function where(database: PostgresDatabaseMetrics): string {
  return ` (database ${database.name}${database.server ? ` on ${database.server}` : ''})`;
}

/** A SQL identifier path as PostgreSQL would accept it back: public.orders stays bare, odd names are quoted. */
export function sqlName(qualified: string): string {
  return qualified
    .split('.')
    .map((part) => (/^[a-z_][a-z0-9_$]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`))
    .join('.');
}

/** "1 h 2 min", "45 s", "3.2 days" */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  if (seconds < 86400 * 2) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${Math.round((seconds / 86400) * 10) / 10} days`;
}

/** A statement's text for a message: one line, at most `max` characters. */
export function shortQuery(text: string | null, max = 120): string {
  if (text === null) return '<not visible>';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
