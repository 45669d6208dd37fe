import { configSchema, type Config, type ConfigInput } from '../../../src/config/schema.js';
import { collectApi } from '../../../src/collectors/api/index.js';
import type { ApiMetrics } from '../../../src/contracts/api.js';
import type { Finding } from '../../../src/contracts/finding.js';
import { systemClock } from '../../../src/ports/clock.js';
import { realHttpPort } from '../../../src/ports/http.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';

export function apiConfig(api: NonNullable<ConfigInput['api']>): Config {
  return configSchema.parse({ api });
}

export interface Analysis {
  metrics: ApiMetrics;
  findings: Finding[];
  partial?: string;
}

/** Runs the API collector and the rules on its artifact, as the pipeline would. */
export async function analyse(api: NonNullable<ConfigInput['api']>, env: NodeJS.ProcessEnv = {}): Promise<Analysis> {
  const config = apiConfig(api);
  const controller = new AbortController();
  const result = await collectApi({ config, http: realHttpPort, clock: systemClock, env, signal: controller.signal });
  const { findings } = evaluateRules({ api: { status: 'ok', durationMs: 0, data: result.data } }, mergeThresholds(config.thresholds));
  return { metrics: result.data, findings, ...(result.partial ? { partial: result.partial } : {}) };
}
