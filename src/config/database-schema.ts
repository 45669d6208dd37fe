import { z } from 'zod';
import { durationSeconds } from './schema-parts.js';

/**
 * Config sections of the PostgreSQL and PgBouncer part of the database phase.
 * URLs are checked here; no message ever shows a password (errors.ts redacts URL credentials).
 */

function urlProblem(text: string, protocols: readonly string[], example: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `expected a URL such as ${example}`;
  }
  if (!protocols.includes(url.protocol)) return `expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL such as ${example}`;
  if (url.hostname === '') return `expected a host in the URL, e.g. ${example}`;
  if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) return 'expected a port between 1 and 65535';
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    return 'expected sslmode to be one of disable, allow, prefer, require, verify-ca, verify-full';
  }
  return null;
}

const POSTGRES_EXAMPLE = 'postgres://app@127.0.0.1:5432/shop';

/** A postgres:// or postgresql:// URL with a host. */
export const postgresUrl = z.string().superRefine((text, ctx) => {
  const problem = urlProblem(text, ['postgres:', 'postgresql:'], POSTGRES_EXAMPLE);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

export const namedDatabaseSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'expected a name of letters, digits, "_", "-" or "."')
    .meta({ description: 'Name of the database in the report (postgres:database:<name>)' }),
  url: postgresUrl.meta({ description: 'Its URL, e.g. postgres://app@127.0.0.1:5432/shop' }),
});

export const databaseSchema = z
  .strictObject({
    url: postgresUrl.optional().meta({ description: 'PostgreSQL URL (also --database-url, DATABASE_URL); the password is never shown' }),
    databases: z
      .array(namedDatabaseSchema)
      .default([])
      .meta({ description: 'More databases to analyse, each { name, url }' }),
    sampleSeconds: durationSeconds(0.2, 300)
      .optional()
      .meta({ description: 'Window of the pg_stat_database deltas (default: system.sampleSeconds)' }),
    latencySamples: z.number().int().min(1).max(10_000).default(20).meta({ description: 'SELECT 1 round trips timed per server' }),
    statementTimeoutMs: z.number().int().min(100).max(600_000).default(5000).meta({ description: 'statement_timeout of the profiler\'s sessions' }),
    lockTimeoutMs: z.number().int().min(10).max(600_000).default(1000).meta({ description: 'lock_timeout of the profiler\'s sessions' }),
    connectTimeoutMs: z.number().int().min(100).max(600_000).default(5000).meta({ description: 'Connection timeout' }),
    topStatements: z.number().int().min(1).max(100).default(10).meta({ description: 'Statements listed in each top list' }),
    planStatements: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(20)
      .meta({ description: 'Top statements by total time whose generic plans are read (EXPLAIN, never executed) for the index advice; 0 = none' }),
    explainAnalyze: z
      .boolean()
      .default(false)
      .meta({ description: 'EXPLAIN ANALYZE the planned SELECTs that have no parameters (this executes them, in a rolled-back read-only transaction); default false: plans only' }),
  })
  .meta({ description: 'PostgreSQL: the database phase.' });

const PGBOUNCER_EXAMPLE = 'postgres://pgbouncer@127.0.0.1:6432/pgbouncer';

export const pgbouncerSchema = z
  .strictObject({
    url: z
      .string()
      .superRefine((text, ctx) => {
        const problem = urlProblem(text, ['postgres:', 'postgresql:'], PGBOUNCER_EXAMPLE);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .meta({ description: "PgBouncer's admin console (database pgbouncer), also --pgbouncer-url" }),
  })
  .meta({ description: 'PgBouncer: pools, clients waiting, wait times.' });
