import { loadChartLibrary } from '../ports/chart-library.js';
import { realPorts } from '../ports/index.js';
import { readFileSync } from 'node:fs';
import { LoadTestController } from '../serve/load-test.js';
import { QUICK_RUN_DEFAULTS, QuickRunner } from '../serve/quick-run.js';
import { RealtimeSampler } from '../serve/realtime.js';
import { SavedReports } from '../serve/saved-reports.js';
import { API_BASE, isLoopback, startServer } from '../serve/server.js';
import { configForCommand } from './config-for-command.js';

export interface ServeFlags {
  host?: string;
  port?: string;
  token?: string;
  dir?: string;
  config?: string;
  rateLimit?: string;
  refresh?: string;
  allowLoadTest?: boolean;
}

const integer = (text: string, name: string, min: number, max: number): number | string => {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= min && value <= max ? value : `--${name} must be a whole number from ${min} to ${max}; got "${text}"`;
};

/**
 * `perf-analyze serve`: the dashboard API and page over the saved reports of --dir (default:
 * the configured output dir). Runs until Ctrl-C, then closes the listener, the database and
 * Redis sessions and any running load test, and returns 0. Exit 2 on a bad flag.
 */
export async function serveCommand(flags: ServeFlags, stdout: (text: string) => void, stderr: (text: string) => void): Promise<number> {
  const config = await configForCommand(flags.config, stderr);
  if (!config) return 2;
  const host = flags.host ?? '127.0.0.1';
  const token = flags.token ?? (process.env.PERF_ANALYZE_TOKEN || undefined);
  const port = integer(flags.port ?? '8000', 'port', 0, 65535);
  const rateLimit = integer(flags.rateLimit ?? '100', 'rate-limit', 1, 1_000_000);
  const refresh = integer(flags.refresh ?? '5', 'refresh', 1, 3600);
  for (const value of [port, rateLimit, refresh]) {
    if (typeof value === 'string') {
      stderr(`perf-analyze serve: ${value}\n`);
      return 2;
    }
  }
  if (!isLoopback(host) && !token) {
    stderr(`perf-analyze serve: binding ${host} (not loopback) requires --token <secret> (or PERF_ANALYZE_TOKEN): every request must then carry "Authorization: Bearer <secret>"\n`);
    return 2;
  }
  let chartLibrary;
  try {
    chartLibrary = await loadChartLibrary();
  } catch (error) {
    stderr(`perf-analyze serve: ${(error as Error).message}\n`);
    return 2;
  }
  const ports = realPorts();
  const dir = flags.dir ?? config.outputDir;
  const sampler = new RealtimeSampler(config, ports);
  const loadTest = new LoadTestController(config, flags.allowLoadTest === true, ports.http);
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const quickRun = new QuickRunner(config, ports, { ...QUICK_RUN_DEFAULTS, tool: { name: 'perf-analyze', version } });
  let running;
  try {
    await sampler.prime(); // the first CPU figure needs a previous reading: take it now, not on the first request
    running = await startServer({
      host,
      port: port as number,
      ...(token ? { token } : {}),
      config,
      reports: new SavedReports(dir, ports.reports, () => performance.now()),
      sampler,
      loadTest,
      quickRun,
      chartLibrary,
      rateLimit: rateLimit as number,
      responseTimeoutMs: 10_000,
      refreshSeconds: refresh as number,
    });
  } catch (error) {
    await sampler.close();
    stderr(`perf-analyze serve: cannot listen on ${host}:${String(port)}: ${(error as Error).message}\n`);
    return 2;
  }
  stdout(`perf-analyze serve: dashboard on ${running.url}/ (API ${running.url}${API_BASE}/, Prometheus ${running.url}/metrics), reports from ${dir}\n`);
  if (token) stdout(`perf-analyze serve: a bearer token is required on every request${isLoopback(host) ? '' : ` (bound to ${host}, not loopback)`}\n`);
  stdout('perf-analyze serve: Ctrl-C to stop\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stderr('perf-analyze serve: stopping\n');
  await Promise.all([running.close(), loadTest.stop(), quickRun.close(), sampler.close()]);
  return 0;
}
