import { describe, expect, test } from '@jest/globals';
import { findKnee } from '../../src/load/knee.js';
import { level } from '../support/load-fixture.js';

const criteria = { p95Ms: 500, maxErrorPercent: 1, minGrowthPercent: 10 };

describe('findKnee', () => {
  test('no closed-model level: null', () => {
    expect(findKnee([], criteria)).toBeNull();
  });

  test('throughput stops growing: capacity is the level before', () => {
    const knee = findKnee([level(1, 100, 5), level(5, 480, 6), level(10, 900, 8), level(25, 950, 20), level(50, 960, 50)], criteria)!;
    expect(knee.capacity).toEqual({ concurrency: 10, throughputRps: 900, p95Ms: 8 });
    expect(knee.brokeAt).toMatchObject({ concurrency: 25, reason: 'throughput' });
    expect(knee.summary).toMatch(/^about 900 requests\/s within the SLO at 10 connections; at 25 connections throughput grew only 5\.6 %/);
  });

  test('p95 over the limit breaks before throughput does', () => {
    const knee = findKnee([level(1, 100, 5), level(10, 900, 120), level(50, 2000, 650)], criteria)!;
    expect(knee.capacity?.concurrency).toBe(10);
    expect(knee.brokeAt).toMatchObject({ concurrency: 50, reason: 'latency', detail: 'p95 was 650.0 ms > 500 ms' });
  });

  test('errors at 1 % break the level', () => {
    const knee = findKnee([level(1, 100, 5), level(10, 900, 8, 1)], criteria)!;
    expect(knee.brokeAt).toMatchObject({ concurrency: 10, reason: 'errors' });
  });

  test('a ladder that never breaks: capacity is the top level, "not reached"', () => {
    const knee = findKnee([level(5, 100, 5), level(1, 20, 5), level(10, 200, 5)], criteria)!;
    expect(knee.capacity?.concurrency).toBe(10);
    expect(knee.brokeAt).toBeNull();
    expect(knee.summary).toContain('not reached');
  });

  test('the first level already broken: no capacity', () => {
    const knee = findKnee([level(1, 100, 900), level(10, 100, 900)], criteria)!;
    expect(knee.capacity).toBeNull();
    expect(knee.summary).toMatch(/^below 1 connection/);
  });

  test('a plateau while the generator is saturated is blamed on the generator', () => {
    const top = level(50, 1000, 40);
    top.generator = { cpuPercent: 99, eventLoopDelayP99Ms: 80, eventLoopDelayMaxMs: 90, saturated: true, reason: 'generator CPU 99.0 % of one core >= 90 %' };
    const knee = findKnee([level(10, 950, 10), top], criteria)!;
    expect(knee.brokeAt).toMatchObject({ concurrency: 50, reason: 'generator' });
    expect(knee.brokeAt?.detail).toContain('limit may be the generator, not the target');
  });

  test('criteria are configurable', () => {
    const knee = findKnee([level(1, 100, 5), level(10, 900, 120)], { ...criteria, p95Ms: 100 })!;
    expect(knee.brokeAt?.reason).toBe('latency');
  });
});
