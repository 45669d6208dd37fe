import { z } from 'zod';
import { durationSeconds } from './schema-parts.js';

/** A redis:// or rediss:// URL (password, TLS and database index in the URL); anything else is a configuration error. */
export const redisUrl = z.string().superRefine((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a redis:// or rediss:// URL such as redis://:PASSWORD@127.0.0.1:6379/0' });
    return;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    ctx.addIssue({ code: 'custom', message: `expected a redis:// or rediss:// URL (got the scheme "${url.protocol}")` });
    return;
  }
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db)) {
    ctx.addIssue({ code: 'custom', message: 'expected a database index (a number such as /0) after the host in the redis URL' });
  }
});

export const redisSchema = z
  .strictObject({
    url: redisUrl.optional().meta({ description: 'redis:// or rediss:// URL with optional :password@ and /db (also --redis-url, REDIS_URL)' }),
    queues: z
      .array(z.string().min(1))
      .default([])
      .meta({
        description:
          'Worker queues to measure: a BullMQ queue name (bull:<name>:wait|active|delayed|failed), a Celery queue (a list named after the queue), or any list, sorted set or stream key',
      }),
    sampleSeconds: durationSeconds(0.2, 300)
      .prefault(5)
      .meta({ description: 'Window over which hit rate, ops/s, evictions, rejections and queue growth are measured' }),
    pingSamples: z.number().int().min(1).max(10_000).default(100).meta({ description: 'PING round trips timed over the window' }),
    maxKeys: z.number().int().min(0).max(10_000_000).default(100_000).meta({ description: 'Most keys the big-key scan measures (SCAN, never KEYS); 0 turns the scan off' }),
    maxScanSeconds: durationSeconds(0.05, 120).prefault(2).meta({ description: 'Time budget of the big-key scan' }),
    scanCount: z.number().int().min(1).max(10_000).default(200).meta({ description: 'COUNT hint of each SCAN call' }),
    connectTimeoutSeconds: durationSeconds(0.1, 60).prefault(3).meta({ description: 'Connect timeout' }),
    commandTimeoutSeconds: durationSeconds(0.1, 60).prefault(5).meta({ description: 'Timeout of every command' }),
  })
  .meta({ description: 'The Redis (cache) part of the database phase.' });
