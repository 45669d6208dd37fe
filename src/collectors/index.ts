import type { Collector } from './collector.js';
import { systemCollector } from './system/collector.js';
import { postgresCollector } from './postgres/collector.js';
import { pgbouncerCollector } from './pgbouncer/index.js';
import { redisCollector } from './redis/collector.js';
import { apiCollector } from './api/collector.js';
import { loadCollector } from './load/collector.js';
import { dockerCollector } from './docker/collector.js';
import { diagnosisCollector } from './diagnosis/collector.js';

/**
 * Every collector, in the order the phases run them. A phase runs its configured
 * collectors concurrently, then its `exclusive` ones one at a time.
 */
export const COLLECTORS: readonly Collector[] = [
  systemCollector as Collector,
  dockerCollector as Collector,
  postgresCollector as Collector,
  pgbouncerCollector as Collector,
  redisCollector as Collector,
  apiCollector as Collector,
  diagnosisCollector as Collector,
  loadCollector as Collector,
];
