import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { LoadMetrics } from '../../../src/contracts/load.js';
import { rule as capacity } from '../../../src/rules/load/load-capacity.js';
import { rule as errors } from '../../../src/rules/load/load-errors.js';
import { rule as growth } from '../../../src/rules/load/load-latency-growth.js';
import { rule as generator } from '../../../src/rules/load/load-generator-limited.js';
import { rule as omission } from '../../../src/rules/load/load-coordinated-omission.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { brief, evaluateLoad, level, rate } from '../../support/load-fixture.js';

const ALL = [capacity, errors, growth, generator, omission];
const saturate = (run: LoadMetrics['ladder'][number]) => {
  run.generator = { cpuPercent: 98.5, eventLoopDelayP99Ms: 12, eventLoopDelayMaxMs: 30, saturated: true, reason: 'generator CPU 98.5 % of one core >= 90 %' };
};

describe('load rules: not applicable without a load artifact', () => {
  test.each(ALL.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    expect(evaluateRule(rule, { artifacts: {}, thresholds: mergeThresholds() })).toBeNull();
    expect(evaluateRule(rule, { artifacts: { load: { status: 'error', durationMs: 1, error: 'x' } }, thresholds: mergeThresholds() })).toBeNull();
  });
});

describe('load-capacity', () => {
  test('capacity at the KPI: no finding', () => {
    expect(brief(evaluateLoad(capacity))).toEqual([]);
  });
  test('broke below 500 requests/s: one warning in requests/s within the SLO; no users without a think time', () => {
    const result = evaluateLoad(capacity, (load) => (load.ladder = [level(1, 100, 5), level(10, 400, 20), level(25, 410, 60), level(50, 415, 120)]));
    expect(brief(result)).toEqual([{ subject: 'load:ladder', severity: 'warning', value: 400, threshold: 500 }]);
    expect(result![0]!.title).toBe('Capacity about 400 requests/s within the SLO, below the KPI');
    expect(result![0]!.message).toContain('At 25 connections throughput grew only 2.5 %');
    expect(result![0]!.message).toContain('closed model: 10 connections sending without pause');
    expect(result![0]!.message).not.toMatch(/users/);
  });
  test('with a think time: users by Little\'s law, said in the finding', () => {
    const result = evaluateLoad(capacity, (load) => {
      load.ladder = [level(1, 100, 5), level(10, 400, 20), level(25, 410, 60), level(50, 415, 120)];
      load.thinkTimeSeconds = 0.1;
    });
    // 400 requests/s x (0.1 s + 0.010 s mean) = 44 users
    expect(brief(result)).toEqual([
      { subject: 'load:ladder', severity: 'warning', value: 400, threshold: 500 },
      { subject: 'load:ladder', severity: 'warning', value: 44, threshold: 100 },
    ]);
    expect(result![1]!.title).toBe('Capacity about 44 concurrent users at 0.1 s think time, below the KPI');
    expect(result![1]!.message).toContain("By Little's law, users = rate x (think time + response time): 400 requests/s x (0.1 s + 0.010 s)");
    // a long think time: the same rate serves more than the KPI
    expect(brief(evaluateLoad(capacity, (load) => {
      load.ladder = [level(1, 100, 5), level(10, 400, 20), level(25, 410, 60)];
      load.thinkTimeSeconds = 5;
    }))).toEqual([{ subject: 'load:ladder', severity: 'warning', value: 400, threshold: 500 }]);
  });
  test('never broke but never reached 500 requests/s: info', () => {
    expect(brief(evaluateLoad(capacity, (load) => (load.ladder = [level(1, 100, 5), level(10, 450, 6)])))).toEqual([
      { subject: 'load:ladder', severity: 'info', value: 450, threshold: 500 },
    ]);
  });
  test('broke on the generator: says nothing about the target', () => {
    expect(brief(evaluateLoad(capacity, (load) => {
      load.ladder = [level(1, 100, 5), level(10, 400, 20), level(25, 410, 60)];
      saturate(load.ladder[2]!);
    }))).toEqual([]);
  });
  test('a lower KPI override silences it', () => {
    const change = (load: LoadMetrics) => (load.ladder = [level(1, 100, 5), level(10, 600, 20), level(25, 610, 60)]);
    expect(brief(evaluateLoad(capacity, change, { loadThroughputRps: { warning: 500 } }))).toEqual([]);
    expect(brief(evaluateLoad(capacity, change, { loadThroughputRps: { warning: 1000 } }))).toEqual([{ subject: 'load:ladder', severity: 'warning', value: 600, threshold: 1000 }]);
  });
});

describe('load-errors', () => {
  test('no errors: no finding', () => {
    expect(brief(evaluateLoad(errors))).toEqual([]);
  });
  test('the first ladder level over 0.1 % at or below 100 users: warning with the classes', () => {
    const result = evaluateLoad(errors, (load) => (load.ladder[2] = level(50, 1800, 40, 0.5)));
    expect(brief(result)).toEqual([{ subject: 'load:ladder', severity: 'warning', value: 0.5, threshold: 0.1 }]);
    expect(result![0]!.message).toContain('90 x HTTP 503');
  });
  test('errors only beyond the KPI load: info', () => {
    expect(brief(evaluateLoad(errors, (load) => (load.ladder[4] = level(200, 2050, 130, 3))))).toEqual([
      { subject: 'load:ladder', severity: 'info', value: 3, threshold: 0.1 },
    ]);
  });
  test('an open-model rate with errors: its own warning', () => {
    expect(brief(evaluateLoad(errors, (load) => (load.rates[0] = { ...rate(100, 9, 8), errorPercent: 2 })))).toEqual([
      { subject: 'load:rate:100', severity: 'warning', value: 2, threshold: 0.1 },
    ]);
  });
  test('every connection refused: an availability finding naming the URL', () => {
    const result = evaluateLoad(errors, (load) => {
      const down = level(1, 50, 1, 100);
      down.errors = { total: down.requests, byStatus: {}, timeout: 0, refused: down.requests, reset: 0, other: 0 };
      load.ladder = [down];
      load.rates = [];
    });
    expect(result![0]!.category).toBe('availability');
    expect(result![0]!.recommendation).toContain('http://127.0.0.1:8000/');
  });
});

describe('load-latency-growth', () => {
  test('p95 within the KPI everywhere but 21.7x higher at 200 users than at 1: info', () => {
    expect(brief(evaluateLoad(growth))).toEqual([{ subject: 'load:ladder', severity: 'info', value: 21.7, threshold: 10 }]);
  });
  test('mild growth: no finding', () => {
    expect(brief(evaluateLoad(growth, (load) => (load.ladder = [level(1, 100, 10), level(10, 900, 20)])))).toEqual([]);
  });
  test('p95 over 500 ms at 50 users: warning', () => {
    expect(brief(evaluateLoad(growth, (load) => (load.ladder[2] = level(50, 1800, 700))))).toEqual([
      { subject: 'load:ladder', severity: 'warning', value: 700, threshold: 500 },
    ]);
  });
  test('p95 over 500 ms only at 200 users: info', () => {
    expect(brief(evaluateLoad(growth, (load) => (load.ladder[4] = level(200, 2050, 900))))).toEqual([
      { subject: 'load:ladder', severity: 'info', value: 900, threshold: 500 },
    ]);
  });
});

describe('load-generator-limited', () => {
  test('a quiet generator: no finding', () => {
    expect(brief(evaluateLoad(generator))).toEqual([]);
  });
  test('saturated levels: one info for the ladder naming them, "the generator, not the target"', () => {
    const result = evaluateLoad(generator, (load) => {
      saturate(load.ladder[3]!);
      saturate(load.ladder[4]!);
    });
    expect(brief(result)).toEqual([{ subject: 'load:ladder', severity: 'info', value: 98.5, threshold: 90 }]);
    expect(result![0]!.title).toContain('the generator, not the target');
    expect(result![0]!.message).toContain('at 100 and 200 concurrent users');
  });
});

describe('load-coordinated-omission', () => {
  test('no open-model run: not applicable', () => {
    expect(evaluateLoad(omission, (load) => (load.rates = []))).toBeNull();
  });
  test('corrected close to as sent: no finding', () => {
    expect(brief(evaluateLoad(omission))).toEqual([]);
  });
  test('corrected p99 far above as sent: warning with the ratio', () => {
    const result = evaluateLoad(omission, (load) => (load.rates = [rate(100, 980, 12)]));
    expect(brief(result)).toEqual([{ subject: 'load:rate:100', severity: 'warning', value: 81.7, threshold: 2 }]);
    expect(result![0]!.message).toContain('980.0 ms but only 12.0 ms as sent');
  });
  test('a saturated generator: info, and the message says the wait may be its own', () => {
    const result = evaluateLoad(omission, (load) => {
      load.rates = [rate(100, 980, 12)];
      saturate(load.rates[0]!);
    });
    expect(brief(result)).toEqual([{ subject: 'load:rate:100', severity: 'info', value: 81.7, threshold: 2 }]);
    expect(result![0]!.message).toContain('part of the wait may be its own');
  });
  test('a large ratio on tiny numbers is timer noise: no finding', () => {
    expect(brief(evaluateLoad(omission, (load) => (load.rates = [rate(100, 3, 1)])))).toEqual([]);
  });
});
