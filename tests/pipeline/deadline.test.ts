import { describe, expect, it } from '@jest/globals';
import { DeadlineError, InterruptedError, withDeadline } from '../../src/pipeline/deadline.js';
import { collectorDeadlineMs, probeDeadlineMs } from '../../src/pipeline/deadlines.js';
import { configSchema } from '../../src/config/schema.js';

/** Work that never ends unless its signal aborts, then returns what it has after `stopMs`. */
const stoppable = (stopMs: number) => (signal: AbortSignal) =>
  new Promise<string>((resolve) => {
    const stop = () => setTimeout(() => resolve('what it had'), stopMs);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
/** Work that ignores its signal for ever (a hung file system). */
const hung = () => new Promise<string>(() => undefined);

describe('withDeadline', () => {
  it('returns the value of work that finishes in time, not cut short', async () => {
    await expect(withDeadline(async () => 42, { what: 'x', deadlineMs: 1000 })).resolves.toEqual({ value: 42, cutShort: null });
  });

  it('aborts work at its deadline and keeps what it returns within the grace period, marked as cut short', async () => {
    const outcome = await withDeadline(stoppable(10), { what: 'the Redis collector', deadlineMs: 50, graceMs: 500 });
    expect(outcome.value).toBe('what it had');
    expect(outcome.cutShort).toBeInstanceOf(DeadlineError);
    expect(outcome.cutShort?.message).toBe('the Redis collector did not finish within its deadline of 50 ms');
  });

  it('stops waiting for work that ignores its signal: a DeadlineError naming what it waited on', async () => {
    const started = performance.now();
    await expect(withDeadline(hung, { what: 'the file system of /mnt/nfs', deadlineMs: 50, graceMs: 50 })).rejects.toThrow(
      'the file system of /mnt/nfs did not finish within its deadline of 50 ms',
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('an interrupt aborts the work; hung work is given up after the grace period with an InterruptedError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(withDeadline(hung, { what: 'PostgreSQL', deadlineMs: 60_000, graceMs: 50, signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
    const already = new AbortController();
    already.abort();
    const outcome = await withDeadline(stoppable(0), { what: 'PostgreSQL', deadlineMs: 60_000, signal: already.signal });
    expect(outcome.cutShort).toBeInstanceOf(InterruptedError);
  });

  it('work that fails because its deadline aborted it reports the deadline, with the failure as detail', async () => {
    const failing = (signal: AbortSignal) => new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('socket closed')), { once: true }));
    await expect(withDeadline(failing, { what: 'Docker', deadlineMs: 30 })).rejects.toThrow('Docker did not finish within its deadline of 30 ms (socket closed)');
  });
});

describe('deadlines derived from the configuration', () => {
  const config = configSchema.parse({ database: { url: 'postgres://app@127.0.0.1:5432/shop' }, api: { baseUrl: 'http://127.0.0.1:8000' } });
  it('every collector and probe has a finite deadline that grows with its configured windows and timeouts', () => {
    for (const id of ['system', 'docker', 'postgres', 'pgbouncer', 'redis', 'api', 'diagnosis', 'load'] as const) {
      expect(Number.isFinite(collectorDeadlineMs(id, config))).toBe(true);
      expect(probeDeadlineMs(id, config)).toBeLessThan(collectorDeadlineMs(id, config));
    }
    const longer = configSchema.parse({ ...config, system: { sampleSeconds: 60 } });
    expect(collectorDeadlineMs('system', longer) - collectorDeadlineMs('system', config)).toBe(55_000);
    const slowLoad = configSchema.parse({ load: { durationSeconds: 30, concurrency: [1, 2] } });
    // two levels of 30 s plus their warm-ups, then the timeouts and the margin
    expect(collectorDeadlineMs('load', slowLoad)).toBe(2 * 31_000 + 2 * 10_000 + 10_000);
  });
});
