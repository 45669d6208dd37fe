import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const SECRET = 'cli-Secret-77';

describe('perf-analyze with a database (built binary)', () => {
  let server: PostgresServer;
  let work: string;

  beforeAll(async () => {
    server = await startPostgres();
    work = await tempDir();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('--database-url: the database phase runs, the report validates, the summary shows the numbers, no password anywhere', async () => {
    const out = path.join(work, 'db');
    const url = `postgres://postgres:${SECRET}@127.0.0.1:${server.port}/postgres`;
    const result = await runCli(['--database-url', url, '--sample-seconds', '0.3', '-o', out, '--fail-on', 'none'], { cwd: work });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const files = await readdir(out);
    const reportText = await readFile(path.join(out, files.find((name) => name.startsWith('performance_analysis_report_'))!), 'utf8');
    const summary = await readFile(path.join(out, files.find((name) => name.endsWith('.txt'))!), 'utf8');
    const report = JSON.parse(reportText);
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.phases.find((phase: { id: string }) => phase.id === 'database').status).toBe('ok');
    expect(report.target.components.database).toEqual({ configured: true, url: `postgres://postgres@127.0.0.1:${server.port}/postgres` });
    expect(report.metrics.postgres.databases[0].reachable).toBe(true);
    expect(report.scores.components.database.configured).toBe(true);
    expect(report.scores.components.database.score).toBeGreaterThan(0);
    expect(summary).toContain('DATABASE (PostgreSQL, PgBouncer)');
    expect(summary).toMatch(/SELECT 1\s+p50 [\d.]+ ms/);
    for (const text of [reportText, summary, result.stdout, result.stderr]) expect(text).not.toContain(SECRET);
  }, 60_000);

  test('DATABASE_URL pointing nowhere: a critical finding, exit 1, still a report', async () => {
    const out = path.join(work, 'down');
    const result = await runCli(['--sample-seconds', '0.3', '-o', out], { cwd: work, env: { DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:1/shop` } });
    expect(result.code).toBe(1);
    const jsonName = (await readdir(out)).find((name) => name.startsWith('performance_analysis_report_'));
    const reportText = await readFile(path.join(out, jsonName!), 'utf8');
    const report = JSON.parse(reportText);
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.findings.some((finding: { ruleId: string; subject: string; severity: string }) =>
      finding.ruleId === 'postgres-unreachable' && finding.subject === 'postgres:database:shop' && finding.severity === 'critical')).toBe(true);
    expect(report.scores.components.database.score).toBe(0);
    for (const text of [reportText, result.stdout, result.stderr]) expect(text).not.toContain(SECRET);
  }, 60_000);

  test('a bad --database-url is a usage error naming the flag, with the password hidden', async () => {
    const result = await runCli(['--database-url', `mysql://root:${SECRET}@127.0.0.1/shop`], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--database-url');
    expect(result.stderr).toMatch(/postgres:\/\/ or postgresql:\/\//);
    expect(result.stderr).not.toContain(SECRET);
  });
});
