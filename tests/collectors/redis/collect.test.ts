/**
 * The Redis collector against real throw-away redis-server processes, each seeded with the
 * condition one rule must find; the findings come from the real rules over the artifact.
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { collectRedis, type RedisCollectorOptions } from '../../../src/collectors/redis/index.js';
import type { Finding } from '../../../src/contracts/finding.js';
import type { RedisMetrics } from '../../../src/contracts/redis.js';
import { systemClock, type Clock } from '../../../src/ports/clock.js';
import { realRedisPort } from '../../../src/ports/redis.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { freePort } from '../../support/free-port.js';
import { startRedis, type RedisServer } from '../../support/redis-server.js';


const servers: RedisServer[] = [];
const clients: Redis[] = [];
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all(servers.map((server) => server.stop()));
});

async function server(settings: Record<string, string | number> = {}): Promise<{ server: RedisServer; client: Redis }> {
  const started = await startRedis(settings);
  servers.push(started);
  const client = new Redis(started.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  clients.push(client);
  return { server: started, client };
}

/** A clock whose first sleep (the first moment inside the sampling window) runs `duringWindow` first. */
function windowClock(duringWindow?: () => Promise<void>): Clock {
  let fired = false;
  return {
    ...systemClock,
    async sleep(ms, signal) {
      if (!fired && duringWindow) {
        fired = true;
        await duringWindow();
      }
      return systemClock.sleep(ms, signal);
    },
  };
}

interface Outcome {
  data: RedisMetrics;
  partial: string | undefined;
  findings: Finding[];
  json: string;
}

async function collect(url: string, options: Partial<RedisCollectorOptions> = {}, duringWindow?: () => Promise<void>): Promise<Outcome> {
  const result = await collectRedis(
    { redis: realRedisPort, clock: windowClock(duringWindow) },
    {
      url,
      queues: [],
      sampleSeconds: 1,
      pingSamples: 20,
      maxKeys: 200_000,
      maxScanSeconds: 5,
      scanCount: 500,
      connectTimeoutSeconds: 2,
      commandTimeoutSeconds: 5,
      signal: new AbortController().signal,
      ...options,
    },
  );
  const { findings } = evaluateRules({ redis: { status: result.partial ? 'partial' : 'ok', durationMs: 0, data: result.data } }, mergeThresholds());
  return { data: result.data, partial: result.partial, findings, json: JSON.stringify({ data: result.data, findings, partial: result.partial }) };
}

const by = (findings: Finding[], ruleId: string) => findings.filter((finding) => finding.ruleId === ruleId);

describe('Redis collector on real servers', () => {
  it('a healthy server: measured, and no warning or critical finding', async () => {
    const { server: redis, client } = await server();
    await client.set('greeting', 'hello');
    const outcome = await collect(redis.url, {}, async () => {
      for (let i = 0; i < 200; i++) await client.get('greeting');
    });
    expect(outcome.partial).toBeUndefined();
    expect(outcome.data.server?.version).toMatch(/^\d+\.\d+/);
    expect(outcome.data.stats?.hitRatePercent.value).toBe(100);
    expect(outcome.data.stats?.opsPerSec.value).toBeGreaterThan(0);
    expect(outcome.data.latency?.pingSamples).toBe(20);
    expect(outcome.data.latency?.pingP99Ms.value).toBeGreaterThan(0);
    expect(outcome.data.memory?.noLimit).toBe(true);
    expect(outcome.data.keyspace).toEqual([expect.objectContaining({ db: 0, keys: 1, expires: 0 })]);
    expect(outcome.data.keySample?.stoppedBy).toBe('done');
    expect(outcome.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    // maxmemory 0 is said, as info
    expect(by(outcome.findings, 'redis-memory')).toEqual([expect.objectContaining({ severity: 'info', subject: 'redis:instance' })]);
  });

  it('evictions under a small maxmemory and memory near the limit', async () => {
    const { server: redis, client } = await server({ maxmemory: '16mb', 'maxmemory-policy': 'volatile-lru' });
    const value = 'x'.repeat(100_000);
    // 13 MB that cannot be evicted (no TTL), then keys with a TTL written during the window push it over
    for (let i = 0; i < 130; i++) await client.set(`keep:${i}`, value);
    const outcome = await collect(redis.url, {}, async () => {
      for (let i = 0; i < 80; i++) await client.set(`cache:${i}`, value, 'EX', 600);
    });
    expect(outcome.data.stats?.evictedKeysDuringWindow.value).toBeGreaterThan(0);
    expect(by(outcome.findings, 'redis-evictions')).toEqual([expect.objectContaining({ severity: 'warning', subject: 'redis:instance' })]);
    const memory = by(outcome.findings, 'redis-memory');
    expect(memory).toHaveLength(1);
    expect(memory[0]!.subject).toBe('redis:instance');
    expect(['warning', 'critical']).toContain(memory[0]!.severity);
    expect(outcome.data.memory?.usedPercentOfMax.value).toBeGreaterThan(90);
  });

  it('a slowlog entry names the command and never its arguments', async () => {
    const { server: redis, client } = await server({ 'slowlog-log-slower-than': 1000 });
    const script = 'local i=0 while i<4000000 do i=i+1 end';
    await client.call('EVAL', script, '0');
    const outcome = await collect(redis.url);
    const slow = by(outcome.findings, 'redis-slowlog');
    expect(slow).toEqual([expect.objectContaining({ severity: 'warning', subject: 'redis:command:EVAL' })]);
    expect(outcome.data.slowlog?.thresholdUsec).toBe(1000);
    expect(outcome.json).not.toContain('4000000');
  });

  it('big keys of each type, found by a bounded SCAN', async () => {
    const { server: redis, client } = await server();
    const longName = `session:${'k'.repeat(300)}`;
    await client.set('blob', 'b'.repeat(1_200_000));
    await client.set(longName, 'b'.repeat(1_100_000));
    const fields: string[] = [];
    for (let i = 0; i < 6000; i++) fields.push(`f${i}`, 'v');
    await client.hset('big-hash', ...fields);
    const elements = Array.from({ length: 1500 }, (_, i) => `e${i}`);
    await client.rpush('big-list', ...elements);
    for (let chunk = 0; chunk < 11; chunk++) {
      const members = Array.from({ length: 10_000 }, (_, i) => `m${chunk * 10_000 + i}`);
      await client.sadd('big-set', ...members);
      await client.zadd('big-zset', ...members.flatMap((member, i) => [chunk * 10_000 + i, member]));
    }
    await client.set('small', '1');
    const outcome = await collect(redis.url);
    const subjects = by(outcome.findings, 'redis-big-keys').map((finding) => `${finding.subject} ${finding.severity}`);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'redis:key:blob warning',
        'redis:key:big-hash warning',
        'redis:key:big-list warning',
        'redis:key:big-set warning',
        'redis:key:big-zset warning',
      ]),
    );
    const truncated = by(outcome.findings, 'redis-big-keys').find((finding) => finding.subject.startsWith('redis:key:session:'));
    expect(truncated?.subject.length).toBeLessThanOrEqual('redis:key:'.length + 80);
    expect(outcome.json).not.toContain(longName);
    expect(outcome.findings.some((finding) => finding.subject === 'redis:key:small')).toBe(false);
    expect(outcome.data.keySample).toMatchObject({ scannedKeys: 7, totalKeys: 7, stoppedBy: 'done' });
  });

  it('the key scan stops at its key budget and says how much it covered', async () => {
    const { server: redis, client } = await server();
    const pipeline = client.pipeline();
    for (let i = 0; i < 5000; i++) pipeline.set(`k:${i}`, 'v');
    await pipeline.exec();
    const outcome = await collect(redis.url, { maxKeys: 1000, scanCount: 100 });
    expect(outcome.data.keySample?.stoppedBy).toBe('max-keys');
    expect(outcome.data.keySample?.scannedKeys).toBe(1000);
    expect(outcome.data.keySample?.coveragePercent).toBe(20);
    expect(outcome.data.notes.join('\n')).toMatch(/key budget/);
  });

  it('a low hit rate during the window is an info finding', async () => {
    const { server: redis, client } = await server();
    await client.set('hit', '1');
    const outcome = await collect(redis.url, {}, async () => {
      for (let i = 0; i < 300; i++) await client.get(i % 10 === 0 ? 'hit' : `miss:${i}`);
    });
    expect(outcome.data.stats?.hitRatePercent.value).toBeCloseTo(10, 0);
    expect(by(outcome.findings, 'redis-hit-rate')).toEqual([expect.objectContaining({ severity: 'info', subject: 'redis:instance' })]);
  });

  it('rejected connections under a small maxclients', async () => {
    const { server: redis } = await server({ maxclients: 4 });
    const sockets: net.Socket[] = [];
    const outcome = await collect(redis.url, {}, async () => {
      // the test's own client and the profiler hold two slots; ten more connections overflow the rest
      for (let i = 0; i < 10; i++) {
        const socket = net.connect(redis.port, '127.0.0.1');
        socket.on('error', () => undefined);
        sockets.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    for (const socket of sockets) socket.destroy();
    expect(outcome.data.stats?.rejectedConnectionsDuringWindow.value).toBeGreaterThan(0);
    expect(by(outcome.findings, 'redis-rejected-connections')).toEqual([expect.objectContaining({ severity: 'critical', subject: 'redis:instance' })]);
    expect(by(outcome.findings, 'redis-clients')).toEqual([expect.objectContaining({ severity: 'warning', subject: 'redis:instance' })]);
  });

  it('a password-protected server: the right password works, a wrong one is a finding; neither is ever output', async () => {
    const password = 'Sup3r-S3cret-pw';
    const { server: redis } = await server({ requirepass: password });
    const right = await collect(redis.url);
    expect(right.data.reachable).toBe(true);
    expect(right.data.target).toBe(`redis://:***@127.0.0.1:${redis.port}`);
    expect(by(right.findings, 'redis-availability')).toEqual([]);
    expect(right.json).not.toContain(password);

    const wrongPassword = 'Wr0ng-Guess-pw';
    const wrong = await collect(`redis://:${wrongPassword}@127.0.0.1:${redis.port}/0`);
    expect(wrong.data).toMatchObject({ reachable: true, access: { authenticated: false } });
    expect(by(wrong.findings, 'redis-availability')).toEqual([
      expect.objectContaining({ severity: 'warning', subject: 'redis:instance', title: 'Redis refused the credentials' }),
    ]);
    expect(wrong.json).not.toContain(wrongPassword);
    expect(wrong.json).not.toContain(password);

    const none = await collect(`redis://127.0.0.1:${redis.port}`);
    expect(none.data.access.authenticated).toBe(false);
    expect(by(none.findings, 'redis-availability')).toHaveLength(1);
  });

  it('an unreachable server is a finding, not a crash, and fails fast', async () => {
    const port = await freePort();
    const started = Date.now();
    const outcome = await collect(`redis://:pw-not-shown@127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.partial).toMatch(/not analysed/);
    expect(outcome.data.reachable).toBe(false);
    expect(by(outcome.findings, 'redis-availability')).toEqual([
      expect.objectContaining({ severity: 'warning', subject: 'redis:instance', title: 'Redis unreachable' }),
    ]);
    expect(outcome.json).not.toContain('pw-not-shown');
  });

  it('a BullMQ queue with a backlog and a Celery queue growing during the window', async () => {
    const { server: redis, client } = await server();
    const jobs = Array.from({ length: 1500 }, (_, i) => String(i + 1));
    await client.lpush('bull:emails:wait', ...jobs);
    await client.set('bull:emails:id', '1520');
    await client.hset('bull:emails:meta', 'opts.maxLenEvents', '10000');
    await client.zadd('bull:emails:delayed', 1, '1501', 2, '1502');
    await client.zadd('bull:emails:failed', 1, '1503');
    await client.rpush('bull:emails:active', '1504');
    const message = (id: number) =>
      JSON.stringify({
        body: 'W1tdLCB7fSwge31d',
        'content-encoding': 'utf-8',
        'content-type': 'application/json',
        headers: { lang: 'py', task: 'app.tasks.resize', id: `job-${id}` },
        properties: { delivery_tag: `tag-${id}`, body_encoding: 'base64', priority: 0 },
      });
    await client.lpush('celery', ...Array.from({ length: 50 }, (_, i) => message(i)));
    const outcome = await collect(redis.url, { queues: ['emails', 'celery', 'nothing-here'] }, async () => {
      await client.lpush('celery', ...Array.from({ length: 200 }, (_, i) => message(100 + i)));
    });
    const emails = outcome.data.queues.find((queue) => queue.name === 'emails');
    expect(emails).toMatchObject({ kind: 'bullmq', backlogAtEnd: 1500, active: 1, delayed: 2, failed: 1 });
    const celery = outcome.data.queues.find((queue) => queue.name === 'celery');
    expect(celery).toMatchObject({ kind: 'celery', backlogAtStart: 50, backlogAtEnd: 250 });
    expect(celery?.backlogGrowthPerMin.value).toBeGreaterThan(0);
    expect(outcome.data.queues.find((queue) => queue.name === 'nothing-here')).toMatchObject({ kind: 'absent', backlogAtEnd: 0 });

    const queueFindings = by(outcome.findings, 'redis-queue-backlog').map((finding) => `${finding.subject} ${finding.severity}`);
    expect(queueFindings.sort()).toEqual(['redis:queue:celery warning', 'redis:queue:emails warning']);
    // payloads are never copied into the report
    expect(outcome.json).not.toContain('app.tasks.resize');
  });
});
