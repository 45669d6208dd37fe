import { describe, expect, it } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import { rule } from '../../../src/rules/diagnosis/diagnosis-background-saturation.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { buildDiagnosisMetrics } from '../../support/diagnosis-fixture.js';

const thresholds = mergeThresholds();

describe('diagnosis-background-saturation', () => {
  it('not applicable without the diagnosis or its control window', () => {
    expect(evaluateRule(rule, { artifacts: {}, thresholds })).toBeNull();
    expect(evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: buildDiagnosisMetrics((m) => delete m.control) } }, thresholds })).toBeNull();
  });

  it('nothing saturated before our traffic: no finding', () => {
    const data = buildDiagnosisMetrics((m) => (m.control = { connections: null, saturated: [] }));
    expect(evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data } }, thresholds })).toEqual([]);
  });

  it('a container at its CPU limit in the control window: info on the container, "not caused by these requests"', () => {
    const data = buildDiagnosisMetrics(
      (m) =>
        (m.control = {
          connections: null,
          saturated: [{ resource: 'container-cpu-limit', subject: 'container zoo-cpuhog', container: 'zoo-cpuhog', atConcurrency: 0, value: 100.4, limit: 90, unit: '% of its CPU limit' }],
        }),
    );
    const [finding] = evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data } }, thresholds })!;
    expect(finding).toMatchObject({
      ruleId: 'diagnosis-background-saturation',
      severity: 'info',
      subject: 'container:zoo-cpuhog',
      title: 'container zoo-cpuhog at its CPU limit before any traffic: not caused by these requests',
    });
    expect(finding!.message).toContain('100.4 % of its CPU limit');
  });
});
