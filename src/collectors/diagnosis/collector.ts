import type { Collector } from '../collector.js';
import { postgresTargets } from '../postgres/index.js';
import { collectDiagnosis } from './index.js';

/**
 * Configured when api.baseUrl is set, PostgreSQL and/or Redis is configured and
 * diagnosis.enabled (--diagnose). Exclusive: its windows must not mix with other traffic of ours.
 */
export const diagnosisCollector: Collector<'diagnosis'> = {
  id: 'diagnosis',
  phase: 'api',
  component: 'api',
  label: 'Cross-layer diagnosis',
  exclusive: true,
  configured: (config) =>
    config.diagnosis.enabled && config.api.baseUrl !== undefined && (postgresTargets(config).length > 0 || config.redis.url !== undefined),
  skipReason: (config) =>
    !config.diagnosis.enabled
      ? 'not configured: diagnosis.enabled is off (--diagnose turns it on)'
      : 'not configured: needs api.baseUrl and a database (database.url) or Redis (redis.url)',
  collect: ({ config, ports, signal }) => collectDiagnosis({ config, ports, env: process.env, signal }),
};
