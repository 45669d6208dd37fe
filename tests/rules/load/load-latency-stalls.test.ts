import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { LoadMetrics } from '../../../src/contracts/load.js';
import { rule } from '../../../src/rules/load/load-latency-stalls.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { brief, evaluateLoad, level } from '../../support/load-fixture.js';

/** a level whose slowest request took `maxMs` */
const stalled = (concurrency: number, p95Ms: number, maxMs: number) => {
  const run = level(concurrency, 1000, p95Ms);
  run.latency.maxMs = maxMs;
  return run;
};

describe('load-latency-stalls', () => {
  test('not applicable without a load artifact', () => {
    expect(evaluateRule(rule, { artifacts: {}, thresholds: mergeThresholds() })).toBeNull();
  });

  test('a tail that grows with queueing (slowest a few times p95): no finding', () => {
    expect(brief(evaluateLoad(rule))).toEqual([]);
    expect(brief(evaluateLoad(rule, (load) => (load.ladder = [stalled(1, 2, 40), stalled(10, 30, 480)])))).toEqual([]);
  });

  test('a pause: the slowest request above the KPI, 20 times the p95, the p95 within it: warning on the ladder', () => {
    const result = evaluateLoad(rule, (load: LoadMetrics) => ((load.ladder = [stalled(1, 2, 1003), level(5, 1000, 3), stalled(10, 5, 1012)]), (load.rates = [])));
    expect(brief(result)).toEqual([{ subject: 'load:ladder', severity: 'warning', value: 1012, threshold: 500 }]);
    expect(result![0]!.title).toBe('Requests stalled for up to 1012.0 ms under load');
    expect(result![0]!.message).toContain('In 2 of 3 load-test runs');
    expect(result![0]!.message).toContain('1 concurrent user: slowest 1003.0 ms, p95 2.0 ms');
  });

  test('a pause in one run only: info (it can be the host\'s), saying it did not recur', () => {
    const result = evaluateLoad(rule, (load: LoadMetrics) => ((load.ladder = [level(1, 1000, 2), level(5, 1000, 3), stalled(10, 5, 1800)]), (load.rates = [])));
    expect(brief(result)).toEqual([{ subject: 'load:ladder', severity: 'info', value: 1800, threshold: 500 }]);
    expect(result![0]!.title).toBe('Requests stalled once for 1800.0 ms under load');
    expect(result![0]!.message).toContain('info until it recurs in 2 runs');
  });

  test('not a stall: the whole run slow (p95 above the KPI: load-latency-growth says it), or our own generator stalled', () => {
    expect(brief(evaluateLoad(rule, (load) => (load.ladder = [stalled(10, 600, 20_000)])))).toEqual([]);
    expect(
      brief(
        evaluateLoad(rule, (load) => {
          const run = stalled(10, 5, 1000);
          run.generator.eventLoopDelayMaxMs = 800;
          load.ladder = [run];
        }),
      ),
    ).toEqual([]);
  });
});
