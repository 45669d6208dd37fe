/**
 * The quick run's bounds with the real host port: the deadline aborts a run whose window does
 * not fit (partial findings, the response says so), one run at a time, and the configuration
 * it runs with (load test, diagnosis, baseline off; nothing written).
 */
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../../src/config/schema.js';
import { realPorts } from '../../src/ports/index.js';
import { QUICK_RUN_DEFAULTS, QuickRunner, quickConfig, quickWindowSeconds } from '../../src/serve/quick-run.js';

const tool = { name: 'perf-analyze', version: 'test' };

describe('QuickRunner', () => {
  it('aborts at the deadline: the run is marked interrupted, the phases after it did not run', async () => {
    const config = configSchema.parse({});
    const runner = new QuickRunner(config, realPorts(), { windowSeconds: 5, samplingBudgetSeconds: 5, deadlineMs: 300, graceMs: 3000, tool });
    const started = performance.now();
    const outcome = await runner.run();
    const elapsed = performance.now() - started;
    expect(outcome.kind).toBe('result');
    if (outcome.kind !== 'result') return;
    expect(outcome.result.report.interrupted).toBe(true);
    expect(outcome.result.cutShort).toEqual(expect.arrayContaining(['docker', 'database', 'api']));
    // stopped near 300 ms, far from the 5 s window (generous ratio)
    expect(elapsed).toBeLessThan(2500);
    expect(outcome.result.report.phases.find((phase) => phase.id === 'insights')?.status).toBe('ok');
  });

  it('runs one at a time: a second caller joins the first run', async () => {
    const runner = new QuickRunner(configSchema.parse({}), realPorts(), { windowSeconds: 0.3, samplingBudgetSeconds: 1, deadlineMs: 1800, graceMs: 1500, tool });
    const [a, b] = await Promise.all([runner.run(), runner.run()]);
    expect(runner.started).toBe(1);
    expect(a.kind === 'result' && b.kind === 'result' && a.result === b.result).toBe(true);
    expect([a, b].map((outcome) => (outcome.kind === 'result' ? outcome.joined : null)).sort()).toEqual([false, true]);
    await runner.run();
    expect(runner.started).toBe(2);
  });

  it('cuts the configuration down: short windows, no load test, no diagnosis, no baseline, no formats', () => {
    const config = configSchema.parse({
      keep: 3,
      formats: ['json', 'html'],
      load: { enabled: true },
      diagnosis: { enabled: true },
      baseline: { against: 'latest' },
      api: { baseUrl: 'http://127.0.0.1:9', samples: 50, login: { body: { u: 'x' } } },
    });
    const quick = quickConfig(config, '/tmp/x', 1);
    expect(quick.system.sampleSeconds).toBe(1);
    expect(quick.database.sampleSeconds).toBe(1);
    expect(quick.redis.sampleSeconds).toBe(1);
    expect(quick.load.enabled).toBe(false);
    expect(quick.diagnosis.enabled).toBe(false);
    expect(quick.baseline.against).toBeUndefined();
    expect(quick.keep).toBeUndefined();
    expect(quick.formats).toEqual([]);
    expect(quick.outputDir).toBe('/tmp/x');
    expect(quick.api.samples).toBe(5);
    expect(quick.api.login?.concurrency).toEqual([]);
    expect(config.system.sampleSeconds).toBe(5); // the serve configuration itself is untouched
  });

  it('shares the sampling budget among the configured windowed phases (they run one after another)', () => {
    expect(quickWindowSeconds(configSchema.parse({ docker: { enabled: false } }), QUICK_RUN_DEFAULTS)).toBe(1);
    expect(quickWindowSeconds(configSchema.parse({ docker: { enabled: false }, database: { url: 'postgres://u@127.0.0.1:1/db' }, redis: { url: 'redis://127.0.0.1:1' } }), QUICK_RUN_DEFAULTS)).toBe(0.7);
    expect(quickWindowSeconds(configSchema.parse({ docker: { host: 'tcp://127.0.0.1:1' }, redis: { url: 'redis://127.0.0.1:1' } }), QUICK_RUN_DEFAULTS)).toBe(0.46);
    expect(quickWindowSeconds(configSchema.parse({ redis: { url: 'redis://127.0.0.1:1' } }), { windowSeconds: 1, samplingBudgetSeconds: 0.2 })).toBe(0.2);
  });

  it('leaves no temp directory behind', async () => {
    const count = async () => (await readdir(os.tmpdir())).filter((name) => name.startsWith('perf-analyze-quick-')).length;
    const before = await count();
    await new QuickRunner(configSchema.parse({}), realPorts(), { windowSeconds: 0.2, samplingBudgetSeconds: 1, deadlineMs: 1800, graceMs: 1500, tool }).run();
    expect(await count()).toBeLessThanOrEqual(before);
  });
});
