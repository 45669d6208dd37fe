import type { NotVisible } from '../../contracts/postgres.js';
import type { PgSession } from '../../ports/postgres.js';
import { errorMessage } from '../../shared/errors.js';

/**
 * A session that counts its own statements (so that the profiler's own transactions can be
 * taken out of the pg_stat_database deltas) and records, instead of throwing, each check it
 * could not run: permission denied, a missing view, a statement timeout.
 */
export class CountingSession {
  commits = 0;
  rollbacks = 0;
  readonly notVisible: NotVisible[] = [];

  constructor(private readonly session: PgSession) {}

  async query<T extends object>(text: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      const rows = await this.session.query<T>(text, params);
      this.commits += 1;
      return rows;
    } catch (error) {
      this.rollbacks += 1;
      throw error;
    }
  }

  /** Runs one check; on failure records why it was not visible and returns `fallback`. */
  async attempt<T>(check: string, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.notVisible.push({ check, reason: explain(error) });
      return fallback;
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** The reason a check failed, in words that say what to do (SQLSTATE codes of the common cases). */
export function explain(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  const message = errorMessage(error);
  switch (code) {
    case '42501':
      return `permission denied (${message}); GRANT pg_monitor to the profiler's role to see it`;
    case '57014':
      return `statement timeout (${message}); raise database.statementTimeoutMs if the server is just slow`;
    case '55P03':
      return `lock timeout (${message})`;
    case '57P01':
    case '57P02':
    case '57P03':
      return `the server shut down or restarted during the run (${message}); the checks after it were not run`;
    default:
      return message;
  }
}

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const isoOrNull = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : value == null ? null : String(value));
