/** run.ts forwards a collector's progress (the load test's levels) to RunOptions.onProgress. */
import { describe, expect, test } from '@jest/globals';
import { runAnalysis, type ProgressEvent } from '../src/run.js';
import { configSchema } from '../src/config/schema.js';
import { realPorts } from '../src/ports/index.js';
import { delayed, startTarget } from './support/http-targets.js';
import { tempDir } from './support/cli.js';

describe('runAnalysis: collector progress', () => {
  test('the load test reports its levels through RunOptions.onProgress, inside the API phase', async () => {
    const target = await startTarget(delayed(1));
    try {
      const config = configSchema.parse({
        outputDir: await tempDir(),
        formats: ['json'],
        system: { sampleSeconds: 0.2 },
        api: { baseUrl: target.url, samples: 2, warmup: 0 },
        load: { enabled: true, concurrency: [1, 2], durationSeconds: 0.5, warmupSeconds: 0 },
      });
      const events: ProgressEvent[] = [];
      await runAnalysis(
        { config, configSource: 'test', tool: { name: 'perf-analyze', version: 'test' }, signal: new AbortController().signal, onProgress: (event) => events.push(event) },
        realPorts(),
      );
      const apiStart = events.findIndex((event) => event.type === 'phase-start' && event.id === 'api');
      const apiEnd = events.findIndex((event) => event.type === 'phase-end' && event.record.id === 'api');
      const progress = events.flatMap((event, at) => (event.type === 'collector-progress' ? [{ at, progress: event.progress }] : []));
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.every(({ at }) => at > apiStart && at < apiEnd)).toBe(true);
      const done = progress.filter(({ progress: p }) => p.done !== undefined).map(({ progress: p }) => [p.collector, p.step, p.index, p.steps]);
      expect(done).toEqual([
        ['load', '1 users', 1, 2],
        ['load', '2 users', 2, 2],
      ]);
      // while a level runs: elapsed and requests grow
      expect(progress.some(({ progress: p }) => p.done === undefined && p.requests > 0)).toBe(true);
    } finally {
      await target.close();
    }
  }, 30_000);
});
