import { describe, expect, it } from '@jest/globals';
import { evaluateRules, RULES } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { endpointClass, endpointLevels } from '../../../src/rules/lib/api-levels.js';
import { computeScores } from '../../../src/scoring/index.js';
import type { ApiMetrics } from '../../../src/contracts/api.js';
import { apiArtifacts, healthyApi, latency } from '../../support/api-fixture.js';

const thresholds = mergeThresholds();
// the load-* and diagnosis-* rules share the api component but read their own artifacts (tests/rules/load-*.test.ts, diagnosis-*.test.ts)
const apiRules = RULES.filter((rule) => rule.component === 'api' && !rule.id.startsWith('load-') && !rule.id.startsWith('diagnosis-'));
const run = (api: ApiMetrics) => evaluateRules(apiArtifacts(api), thresholds, apiRules);

describe('API rules', () => {
  it('a healthy API passes every API rule', () => {
    const { findings, results } = run(healthyApi());
    expect(findings).toEqual([]);
    for (const result of results) expect(result.outcome).toBe('passed');
  });

  it.each([
    ['/health', 'health'],
    ['/api/v1/performance/health', 'health'],
    ['/api/v1/auth/jwt/login', 'login'],
    ['/api/v1/user/profile', 'profile'],
    ['/api/v1/dashboard/stats', 'dashboard'],
    ['/api/v1/orders', 'other'],
  ])('%s is a %s endpoint', (path, kind) => {
    expect(endpointClass(path)).toBe(kind);
  });

  it('per-endpoint overrides win over the row of the path', () => {
    expect(endpointLevels({ path: '/api/v1/user/profile' }, thresholds)).toMatchObject({ target: 200, warning: 800, critical: 1500 });
    expect(endpointLevels({ path: '/x', thresholds: { warningMs: 50 } }, thresholds)).toMatchObject({ warning: 50, critical: 5000 });
  });

  type Case = [string, (api: ApiMetrics) => void, Array<{ ruleId: string; severity: string; subject: string }>];
  const cases: Case[] = [
    ['profile p95 above 800 ms', (api) => (api.endpoints[1]!.latency = latency(700, 900)), [{ ruleId: 'api-endpoint-latency', severity: 'warning', subject: 'endpoint:GET /api/v1/user/profile' }]],
    ['/health p95 above 500 ms', (api) => (api.endpoints[0]!.latency = latency(400, 600)), [{ ruleId: 'api-endpoint-latency', severity: 'critical', subject: 'endpoint:GET /health' }]],
    ['profile above its 200 ms target only', (api) => (api.endpoints[1]!.latency = latency(150, 250)), [{ ruleId: 'api-endpoint-latency', severity: 'info', subject: 'endpoint:GET /api/v1/user/profile' }]],
    ['error rate 0.5 %', (api) => Object.assign(api.endpoints[0]!, { errorRatePercent: 0.5, serverErrors: 1, statusCodes: { '200': 199, '500': 1 } }), [{ ruleId: 'api-error-rate', severity: 'warning', subject: 'endpoint:GET /health' }]],
    ['login error rate 20 %', (api) => Object.assign(api.login!, { errorRatePercent: 20, statusCodes: { '200': 8, '502': 2 } }), [{ ruleId: 'api-error-rate', severity: 'critical', subject: 'api:login' }]],
    ['all 404', (api) => Object.assign(api.endpoints[2]!, { unexpectedStatus: 20, statusCodes: { '404': 20 } }), [{ ruleId: 'api-unexpected-status', severity: 'warning', subject: 'endpoint:GET /api/v1/performance/health' }]],
    ['unreachable', (api) => Object.assign(api, { reachable: false, unreachable: { errorClass: 'refused', code: 'ECONNREFUSED', message: 'refused' }, endpoints: [], login: null }), [{ ruleId: 'api-unreachable', severity: 'critical', subject: 'api:instance' }]],
    ['TLS refused', (api) => Object.assign(api, { reachable: false, unreachable: { errorClass: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'tls' }, endpoints: [], login: null }), [{ ruleId: 'api-tls-refused', severity: 'critical', subject: 'api:instance' }]],
    ['auth end to end 450 ms', (api) => (api.login!.authEndToEnd = latency(400, 450, 10)), [{ ruleId: 'api-auth-end-to-end', severity: 'warning', subject: 'api:login' }]],
    ['hashing 90 % of a fast login', (api) => (api.login!.bcrypt!.hashSharePercent = 90), [{ ruleId: 'api-login-hashing', severity: 'info', subject: 'api:login' }]],
    [
      'hashing 90 % of a slow login',
      (api) => {
        api.login!.bcrypt!.hashSharePercent = 90;
        api.login!.latency = latency(350, 380, 10);
      },
      [{ ruleId: 'api-login-hashing', severity: 'warning', subject: 'api:login' }],
    ],
    ['token without exp', (api) => (api.login!.token!.lifetimeSeconds = null), [{ ruleId: 'api-token', severity: 'warning', subject: 'api:login' }]],
    ['token for 30 days', (api) => (api.login!.token!.lifetimeSeconds = 30 * 86_400), [{ ruleId: 'api-token', severity: 'warning', subject: 'api:login' }]],
    ['alg none', (api) => (api.login!.token!.alg = 'none'), [{ ruleId: 'api-token', severity: 'critical', subject: 'api:login' }]],
    ['a 6 kB token', (api) => (api.login!.token!.sizeBytes = 6000), [{ ruleId: 'api-token', severity: 'info', subject: 'api:login' }]],
    ['token rejected on reuse', (api) => (api.login!.sessionReuse = { statuses: [200, 401], accepted: false, latenciesMs: [4, 4] }), [{ ruleId: 'api-session-reuse', severity: 'warning', subject: 'api:login' }]],
    ['redirect loop', (api) => Object.assign(api.endpoints[2]!, { unexpectedStatus: 20, statusCodes: { '302': 20 }, redirect: { hops: [{ status: 302, location: '/b' }, { status: 302, location: '/api/v1/performance/health' }], loop: true, leftOrigin: false } }), [{ ruleId: 'api-redirect-loop', severity: 'critical', subject: 'endpoint:GET /api/v1/performance/health' }]],
    ['body cap', (api) => (api.endpoints[1]!.bodyCapHits = 20), [{ ruleId: 'api-body-cap', severity: 'warning', subject: 'endpoint:GET /api/v1/user/profile' }]],
    [
      'login without token',
      (api) => {
        Object.assign(api.login!, { tokenFound: false, token: null, tokenProblem: 'no token at "access_token"', authEndToEnd: null, validationCost: null, sessionReuse: null });
        api.endpoints[1]!.skipped = 'not timed: the login gave no token';
      },
      [{ ruleId: 'api-login-token-missing', severity: 'critical', subject: 'api:login' }],
    ],
  ];

  it.each(cases)('%s', (_name, mutate, expected) => {
    const { findings } = run(healthyApi(mutate));
    expect(findings.map(({ ruleId, severity, subject }) => ({ ruleId, severity, subject })).sort((a, b) => a.ruleId.localeCompare(b.ruleId))).toEqual(expected);
    for (const finding of findings) {
      expect(finding.message.length).toBeGreaterThan(20);
      expect(finding.recommendation.length).toBeGreaterThan(20);
    }
  });
});

describe('performance score', () => {
  const configured = { database: false, system: false, cache: false, api: true };
  it('is set when the API is configured, and falls with slow endpoints', () => {
    const healthy = computeScores({ artifacts: apiArtifacts(healthyApi()), findings: [], thresholds, configured });
    expect(healthy.performance).toBe(100);
    const slow = healthyApi((api) => (api.endpoints[1]!.latency = latency(1000, 3000)));
    const scores = computeScores({ artifacts: apiArtifacts(slow), findings: run(slow).findings, thresholds, configured });
    expect(scores.performance).toBeLessThanOrEqual(40);
  });
  it('is 0 when the API is unreachable, and absent when no API is configured', () => {
    const down = healthyApi((api) => Object.assign(api, { reachable: false, unreachable: { errorClass: 'refused', code: 'ECONNREFUSED', message: 'x' } }));
    expect(computeScores({ artifacts: apiArtifacts(down), findings: [], thresholds, configured }).performance).toBe(0);
    expect(computeScores({ artifacts: {}, findings: [], thresholds, configured: { ...configured, api: false } }).performance).toBeUndefined();
  });
});
