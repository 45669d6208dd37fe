import { describe, expect, it } from '@jest/globals';
import type { RedisMetrics } from '../../src/contracts/redis.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { buildRedisMetrics } from '../support/redis-fixture.js';
import { buildReport } from '../support/report-fixture.js';
import { reportSchemaErrors } from '../support/report-schema.js';

const withRedis = (redis: RedisMetrics) => {
  const base = buildReport();
  return JSON.parse(jsonReporter.render(buildReport({ metrics: { ...base.metrics, redis } }), { color: false, files: {} })) as unknown;
};

describe('metrics.redis in the report schema', () => {
  it('accepts a measured server', () => {
    expect(reportSchemaErrors(withRedis(buildRedisMetrics()))).toBe('');
  });

  it('accepts an unreachable server: every section null', () => {
    const unreachable = buildRedisMetrics((redis) => {
      Object.assign(redis, { reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:6379', windowMs: 0, server: null, stats: null, memory: null });
      Object.assign(redis, { clients: null, persistence: null, latency: null, slowlog: null, keyspace: [], keySample: null, queues: [] });
      redis.access = { reachable: false, authenticated: false, commands: {}, denied: [], connectMs: null };
    });
    expect(reportSchemaErrors(withRedis(unreachable))).toBe('');
  });

  it('refuses an unknown field and a wrong big-key type', () => {
    const extra = withRedis(buildRedisMetrics()) as { metrics: { redis: Record<string, unknown> } };
    extra.metrics.redis.surprise = 1;
    expect(reportSchemaErrors(extra)).toMatch(/additional properties/);
    const wrongType = buildRedisMetrics((redis) => {
      (redis.keySample!.largestKeys[0] as { type: string }).type = 'blob';
    });
    expect(reportSchemaErrors(withRedis(wrongType))).toMatch(/allowed values/);
  });
});
