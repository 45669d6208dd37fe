import { describe, expect, it } from '@jest/globals';
import { evaluateRule } from '../../src/rules/engine.js';
import { rootCauseSection, scalingLine } from '../../src/reporters/text-diagnosis.js';
import { buildDiagnosisMetrics, missingIndexEndpoint } from '../support/diagnosis-fixture.js';
import { rule } from '../../src/rules/diagnosis/diagnosis-root-cause.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';

describe('text summary: root causes', () => {
  it('latency growth against the first saturated resource, the busiest container and the host', () => {
    const endpoint = missingIndexEndpoint((e) => {
      e.saturation!.saturated = [{ resource: 'container-cpu-limit', subject: 'container app', container: 'app', atConcurrency: 8, value: 97.5, limit: 90, unit: '% of its CPU limit' }];
      e.scaling!.resources!.containers = [{ name: 'app', cpuPercent: 97.5, cpuLimitCores: 1, cpuLimitPercent: 97.5, throttledPercent: 60, memoryBytes: null, memoryLimitPercent: null }];
    });
    expect(scalingLine(endpoint)).toBe(
      'GET /api/v1/user/profile: mean latency 3.8x from 2 to 8 users; first saturated: container app (97.5 % of its CPU limit at 8 users); ' +
        'busiest container app 97.5 % of one core, host CPU 71.5 %, generator 12.5 % of one core.',
    );
    expect(scalingLine(missingIndexEndpoint((e) => ((e.scaling = undefined), (e.saturation = undefined))))).toBe(
      'GET /api/v1/user/profile: nothing saturated; busiest container db 88.2 % of one core, host CPU 42.5 %, generator 6.1 % of one core.',
    );
    expect(scalingLine(missingIndexEndpoint((e) => ((e.scaling = undefined), (e.saturation = undefined), (e.resources = undefined))))).toBeNull();
  });

  it('the section lists the causes, the table and the scaling lines', () => {
    const metrics = buildDiagnosisMetrics();
    const findings = evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: metrics } }, thresholds: mergeThresholds() })!;
    const text = rootCauseSection(metrics, findings).join('\n');
    expect(text).toContain('1. [WARNING]');
    expect(text).toContain('-> CREATE INDEX CONCURRENTLY ON public.orders (customer_id): planner cost 8,900 -> 8 with a');
    expect(text).toContain('GET /api/v1/user/profile: mean latency 3.8x from 2 to 8 users; nothing saturated;');
  });

  it('root causes are ordered by the time their fix would save, not by severity', () => {
    const metrics = buildDiagnosisMetrics();
    const [cause] = evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: metrics } }, thresholds: mergeThresholds() })!;
    const small = { ...cause!, severity: 'critical' as const, message: 'small saving', estimatedSavingMsPerRequest: 2 };
    const large = { ...cause!, message: 'large saving', estimatedSavingMsPerRequest: 25.5 };
    const text = rootCauseSection(metrics, [small, large]).join('\n');
    expect(text.indexOf('large saving')).toBeLessThan(text.indexOf('small saving'));
    expect(cause!.estimatedSavingMsPerRequest).toBe(25.5);
  });
});
