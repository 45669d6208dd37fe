import { describe, expect, it } from '@jest/globals';
import { filterColumns, rule } from '../../src/rules/diagnosis-root-cause.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import type { EndpointDiagnosis } from '../../src/contracts/diagnosis.js';
import { buildDiagnosisMetrics, missingIndexEndpoint } from '../support/diagnosis-fixture.js';

const thresholds = mergeThresholds();
const evaluate = (...endpoints: EndpointDiagnosis[]) =>
  rule.evaluate({ artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: buildDiagnosisMetrics((m) => (m.endpoints = endpoints)) } }, thresholds });

describe('diagnosis-root-cause', () => {
  it('is not applicable without the diagnosis artifact', () => {
    expect(rule.evaluate({ artifacts: {}, thresholds })).toBeNull();
    expect(rule.evaluate({ artifacts: { diagnosis: { status: 'error', durationMs: 0, error: 'x' } }, thresholds })).toBeNull();
  });

  it('a missing index: the query, its share, the rows scanned and the index to add', () => {
    const [finding] = evaluate(missingIndexEndpoint())!;
    expect(finding).toMatchObject({ severity: 'warning', subject: 'endpoint:GET /api/v1/user/profile', title: 'GET /api/v1/user/profile: root cause a missing index on public.orders' });
    expect(finding!.message).toContain('85 % of it is one query, `SELECT id, total FROM orders WHERE customer_id = $1`');
    expect(finding!.message).toContain('reads 400,000 rows of public.orders sequentially per request');
    expect(finding!.recommendation).toMatch(/^Add an index on public\.orders \(customer_id\)/);
  });

  it('a fast endpoint: no finding; within warning but above target: info only', () => {
    expect(evaluate(missingIndexEndpoint((e) => (e.latencyP95Ms = 50)))).toEqual([]);
    const [finding] = evaluate(missingIndexEndpoint((e) => ((e.thresholds = undefined), (e.latencyP95Ms = 300))))!;
    expect(finding!.severity).toBe('info');
  });

  it('nothing explains the time: "unknown" with what was seen', () => {
    const [finding] = evaluate(missingIndexEndpoint((e) => (e.database!.latencySharePercent = 5)))!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause unknown');
    expect(finding!.message).toMatch(/the database explains 30\.0 ms per request \(5 % of its mean latency/);
  });

  it('low confidence is said, the answer stays', () => {
    const [finding] = evaluate(missingIndexEndpoint((e) => ((e.confidence = 'low'), (e.backgroundPercent = 45))))!;
    expect(finding!.title).toContain('missing index');
    expect(finding!.message).toContain('Confidence low (background activity outside our traffic was 45 %');
  });

  it('ranks causes by the time per request they explain', () => {
    const small = missingIndexEndpoint((e) => ((e.name = 'GET /a'), (e.path = '/a'), (e.database!.topQueries[0]!.msPerRequest = 5)));
    const big = missingIndexEndpoint((e) => ((e.name = 'GET /b'), (e.path = '/b')));
    expect(evaluate(small, big)!.map((f) => f.subject)).toEqual(['endpoint:GET /b', 'endpoint:GET /a']);
  });

  it('filterColumns reads the columns compared with parameters', () => {
    expect(filterColumns('SELECT * FROM orders o WHERE o.customer_id = $1 AND status=$2')).toEqual(['customer_id', 'status']);
  });
});
