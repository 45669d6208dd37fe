import type { Collector } from '../contracts/collector.js';
import { systemCollector } from './system/collector.js';
import { dockerCollector } from './docker/collector.js';

/**
 * Every collector, in the order the phases run them. A phase runs its configured
 * collectors concurrently; later issues add docker, postgres, pgbouncer, redis, api, load.
 */
export const COLLECTORS: readonly Collector[] = [systemCollector as Collector, dockerCollector as Collector];
