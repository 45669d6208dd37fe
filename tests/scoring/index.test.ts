import { describe, expect, test } from '@jest/globals';
import type { Finding, Severity } from '../../src/contracts/finding.js';
import { computeScores, NOMINAL_WEIGHTS } from '../../src/scoring/index.js';
import { assess, assessmentReason, labelForScore } from '../../src/scoring/assessment.js';
import { bandScore } from '../../src/scoring/bands.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import { healthySystem, systemArtifacts } from '../support/system-fixture.js';

const thresholds = mergeThresholds();
const configured = { system: true, database: false, cache: false, api: false };

const finding = (severity: Severity, subject = 'host:cpu'): Finding => ({
  ruleId: 'test-rule',
  severity,
  category: 'cpu',
  subject,
  title: 't',
  message: 'm',
  evidence: { metric: 'x', value: 1, unit: '%', threshold: 0 },
  recommendation: 'r',
});

describe('bandScore', () => {
  const band = { normal: 60, warning: 80, critical: 95, ceiling: 100 };
  test.each([
    [0, 100],
    [60, 100],
    [70, 87.5],
    [80, 75],
    [95, 40],
    [97.5, 20],
    [100, 0],
    [150, 0],
  ])('value %d scores %d', (value, expected) => {
    expect(bandScore(value, band)).toBeCloseTo(expected, 6);
  });
});

describe('computeScores', () => {
  test('a healthy host scores 100 and takes the whole weight when it is the only component', () => {
    const scores = computeScores({ artifacts: systemArtifacts(healthySystem()), findings: [], thresholds, configured });
    expect(scores.components.system.score).toBe(100);
    expect(scores.health).toBe(100);
    // database and cache are not configured: left out, and the system weight is rescaled to 1
    expect(scores.weights).toEqual({ system: 1 });
    expect(scores.components.database).toMatchObject({ score: null, configured: false });
    expect(scores.nominalWeights).toEqual({ database: 0.4, system: 0.35, cache: 0.25 });
  });

  test('the nominal weights are the specification\'s 40/35/25 and sum to 1', () => {
    expect(NOMINAL_WEIGHTS).toEqual({ database: 0.4, system: 0.35, cache: 0.25 });
    expect(Object.values(NOMINAL_WEIGHTS).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 9);
  });

  test('the system score is the mean of cpu, memory, disk and load sub-scores', () => {
    // cpu at its warning level (75), everything else healthy (100) -> (75 + 100 + 100 + 100) / 4
    const system = healthySystem((s) => {
      s.cpu.totalPercent.value = 80;
    });
    const scores = computeScores({ artifacts: systemArtifacts(system), findings: [], thresholds, configured });
    expect(scores.components.system.score).toBe(93.8);
  });

  test('the worst mount stands for the disk', () => {
    const system = healthySystem((s) => {
      s.mounts[0]!.usedPercent.value = 95; // critical -> 40
    });
    const scores = computeScores({ artifacts: systemArtifacts(system), findings: [], thresholds, configured });
    expect(scores.components.system.score).toBe(85); // (100 + 100 + 40 + 100) / 4
  });

  test.each([
    ['critical', 40],
    ['warning', 75],
    ['info', 100],
  ] as const)('a %s finding caps the system score at %d', (severity, cap) => {
    const scores = computeScores({ artifacts: systemArtifacts(healthySystem()), findings: [finding(severity)], thresholds, configured });
    expect(scores.components.system.score).toBe(cap);
    expect(scores.health).toBe(cap);
  });

  test('a finding on another component does not cap the system', () => {
    const scores = computeScores({
      artifacts: systemArtifacts(healthySystem()),
      findings: [finding('critical', 'redis:instance')],
      thresholds,
      configured,
    });
    expect(scores.components.system.score).toBe(100);
  });

  test('a configured component that could not be measured scores 0', () => {
    const scores = computeScores({
      artifacts: { system: { status: 'error', durationMs: 3, error: '/proc is not mounted' } },
      findings: [],
      thresholds,
      configured,
    });
    expect(scores.components.system.score).toBe(0);
    expect(scores.components.system.basis).toMatch(/\/proc is not mounted/);
    expect(scores.health).toBe(0);
  });

  test('threshold overrides move the score', () => {
    const system = healthySystem((s) => {
      s.cpu.totalPercent.value = 70;
    });
    const strict = mergeThresholds({ cpu: { normal: 10, warning: 20, critical: 30 } });
    const loose = computeScores({ artifacts: systemArtifacts(system), findings: [], thresholds, configured });
    const tight = computeScores({ artifacts: systemArtifacts(system), findings: [], thresholds: strict, configured });
    expect(tight.components.system.score!).toBeLessThan(loose.components.system.score!);
  });
});

describe('assessment', () => {
  test.each([
    [100, 'EXCELLENT'],
    [90, 'EXCELLENT'],
    [89.9, 'GOOD'],
    [87, 'GOOD'], // the specification's example: 87/100 reads GOOD
    [75, 'GOOD'],
    [60, 'FAIR'],
    [40, 'POOR'],
    [39.9, 'CRITICAL'],
    [0, 'CRITICAL'],
  ] as const)('score %d reads %s', (score, label) => {
    expect(labelForScore(score)).toBe(label);
  });

  test('any critical finding caps the assessment at POOR', () => {
    expect(assess(98, undefined, [finding('critical')])).toBe('POOR');
    expect(assess(98, undefined, [finding('warning')])).toBe('EXCELLENT');
    expect(assess(20, undefined, [finding('critical')])).toBe('CRITICAL');
  });

  test('the lower of the health and performance scores decides', () => {
    expect(assess(95, 62, [])).toBe('FAIR');
    expect(assess(62, 95, [])).toBe('FAIR');
  });
  test('the reason says why, above all when the label disagrees with the score', () => {
    const critical = [finding('critical'), finding('critical'), finding('critical'), finding('critical'), finding('warning')];
    expect(assessmentReason(79, undefined, critical)).toBe('POOR: 4 critical findings (any critical finding caps the assessment at POOR); health 79/100');
    expect(assessmentReason(79, 85, [finding('critical')])).toBe('POOR: 1 critical finding (any critical finding caps the assessment at POOR); health 79/100, performance 85/100');
    expect(assessmentReason(87, undefined, [])).toBe('GOOD: follows the health score 87/100; health 87/100');
    expect(assessmentReason(95, 62, [])).toBe('FAIR: follows the performance score 62/100 (the lower of the two); health 95/100, performance 62/100');
    // already below POOR: the criticals change nothing, the score decides
    expect(assessmentReason(20, undefined, [finding('critical')])).toBe('CRITICAL: follows the health score 20/100; health 20/100');
  });
});

describe('configured components', () => {
  test('a component the user did not configure is left out even when its facts exist', () => {
    const scores = computeScores({
      artifacts: systemArtifacts(healthySystem()),
      findings: [],
      thresholds,
      configured: { system: false, database: false, cache: false, api: false },
    });
    expect(scores.components.system).toMatchObject({ score: null, configured: false });
    expect(scores.weights).toEqual({});
  });
});
