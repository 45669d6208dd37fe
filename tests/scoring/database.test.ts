import { describe, expect, test } from '@jest/globals';
import { computeScores } from '../../src/scoring/index.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import { buildFinding } from '../support/report-fixture.js';
import { databaseArtifacts, healthyPgBouncer, healthyPostgres } from '../support/postgres-fixture.js';

const configured = { database: true, system: false, cache: false, api: false };
const score = (artifacts: ReturnType<typeof databaseArtifacts>, findings = [] as ReturnType<typeof buildFinding>[]) =>
  computeScores({ artifacts, findings, thresholds: mergeThresholds(), configured }).components.database;

describe('database scorer', () => {
  test('healthy: 100 from pool utilisation, query time and slow queries', () => {
    const result = score(databaseArtifacts(healthyPostgres(), healthyPgBouncer()));
    expect(result.score).toBe(100);
    expect(result.basis).toBe('connectionPool 100, queryTime 100, slowQueries 100');
  });

  test('connections at the warning level read 75 on that input', () => {
    const result = score(databaseArtifacts(healthyPostgres((p) => (p.servers[0]!.connections.utilisationPercent.value = 80))));
    expect(result.basis).toContain('connectionPool 75');
    expect(result.score).toBeCloseTo((75 + 100 + 100) / 3, 1);
  });

  test('an unreachable configured database scores 0', () => {
    const result = score(databaseArtifacts(healthyPostgres((p) => Object.assign(p.databases[0]!, { reachable: false, error: 'refused' }))));
    expect(result).toMatchObject({ score: 0, basis: 'unreachable: postgres:shop' });
  });

  test('capped by a critical database finding', () => {
    const finding = buildFinding({ subject: 'postgres:sequence:public.orders_id_seq', severity: 'critical' });
    expect(score(databaseArtifacts(healthyPostgres()), [finding]).score).toBe(40);
  });

  test('collector failed: 0 with the reason', () => {
    const result = score({ postgres: { status: 'error', durationMs: 1, error: 'boom' } });
    expect(result).toMatchObject({ score: 0, basis: 'not measured: boom' });
  });
});
