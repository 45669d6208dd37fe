import { existsSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_CONFIG_FILE_NAME } from '../config/init.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

/** The configuration for compare and history (tolerances, output dir): -c, PERF_ANALYZE_CONFIG, ./perf-analyze.yaml, else defaults. */
export async function configForCommand(configFlag: string | undefined, stderr: (text: string) => void): Promise<Config | undefined> {
  const configPath = configFlag ?? (process.env.PERF_ANALYZE_CONFIG || undefined) ?? (existsSync(DEFAULT_CONFIG_FILE_NAME) ? DEFAULT_CONFIG_FILE_NAME : undefined);
  try {
    return await loadConfig({ ...(configPath !== undefined ? { configPath } : {}), env: process.env, flags: {} });
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}
