/**
 * `perf-analyze demo`: starts the bundled demo stack (throw-away PostgreSQL and Redis, the target
 * app on a free loopback port), runs the full analysis against it, prints and writes the reports,
 * and stops everything it started, also on Ctrl-C.
 */
import { configSchema, type Config, type ConfigInput } from '../config/schema.js';
import { parseFormatList } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { UsageError } from '../contracts/errors.js';
import { realPorts } from '../ports/index.js';
import { runAnalysis } from '../run.js';
import { renderConsoleBox, renderFindingLines } from '../reporters/console.js';
import { handleInterrupts } from './interrupts.js';
import { plainProgress } from '../terminal/progress.js';
import { demoApiConfig, demoEnvironment, MissingBinaryError, startDemoStack, type AppLauncher, type DemoStack, type TargetAppFaults } from '../demo/index.js';
import { containerLauncher, prepareContainer } from '../demo/container.js';
import { EXIT } from './exit-codes.js';


export interface DemoFlags {
  outputDir?: string;
  format?: string;
  failOn?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  sampleSeconds?: string;
  samples?: string;
  fault?: string;
  /** false with --no-load */
  load?: boolean;
}

/** "cache-off,missing-index,bcrypt-cost=12,latency=200,error-rate=0.05,stall,login-no-token" */
export function parseFaults(text: string | undefined): TargetAppFaults {
  // cost 10 (OWASP's minimum for bcrypt): a higher cost (--fault bcrypt-cost=13) stands out against it
  const faults: TargetAppFaults = { bcryptCost: 10 };
  for (const item of (text ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [name, value] = item.split('=') as [string, string | undefined];
    const number = Number(value);
    const needNumber = () => {
      if (value === undefined || !Number.isFinite(number)) throw new UsageError(`--fault ${name} needs a number, e.g. ${name}=10`);
      return number;
    };
    switch (name) {
      case 'cache-off':
        faults.cacheOff = true;
        break;
      case 'missing-index':
        faults.missingIndex = true;
        break;
      case 'bcrypt-cost':
        faults.bcryptCost = needNumber();
        break;
      case 'latency':
        faults.latencyMs = needNumber();
        break;
      case 'error-rate':
        faults.errorRate = needNumber();
        break;
      case 'stall':
        faults.stallEveryMs = 5000;
        faults.stallMs = value === undefined ? 1000 : needNumber();
        break;
      case 'login-no-token':
        faults.loginNoToken = true;
        break;
      case 'n-plus-one':
        faults.nPlusOne = true;
        break;
      case 'pool-max':
        faults.poolMax = needNumber();
        break;
      case 'cpu-limit': {
        const cores = needNumber();
        if (cores <= 0) throw new UsageError(`--fault cpu-limit needs a number of cores above 0, e.g. cpu-limit=0.25`);
        faults.cpuLimitCores = cores;
        break;
      }
      default:
        throw new UsageError(
          `unknown --fault "${name}" (known: cache-off, missing-index, bcrypt-cost=N, latency=MS, error-rate=R, stall[=MS], login-no-token, n-plus-one, pool-max=N, cpu-limit=CORES)`,
        );
    }
  }
  return faults;
}


/**
 * The demo's endpoints: its API config's, the login as an endpoint, and with the n-plus-one fault
 * the endpoint it slows; the diagnosis drives every one of them.
 */
function demoEndpoints(api: ReturnType<typeof demoApiConfig>, nPlusOne: boolean): { api: NonNullable<ConfigInput['api']>; diagnosed: string[] } {
  // the login as an endpoint: the diagnosis drives it like the others (the demo app's logins are safe to repeat)
  const login = { method: 'POST' as const, path: api.login.path, body: api.login.body };
  const endpoints = [...api.endpoints, ...(nPlusOne ? [{ path: '/api/v1/user/orders', auth: true }] : []), login];
  const diagnosed = endpoints.map((endpoint) => `${'method' in endpoint ? endpoint.method : 'GET'} ${endpoint.path}`);
  return { api: { ...api, endpoints }, diagnosed };
}

function demoConfig(flags: DemoFlags, baseUrl: string, stores?: { databaseUrl: string; redisUrl: string }, container?: string): Config {
  const endpoints = demoEndpoints(demoApiConfig(baseUrl, flags.samples === undefined ? 20 : Number(flags.samples)), parseFaults(flags.fault).nPlusOne === true);
  const input: ConfigInput = {
    failOn: (flags.failOn ?? 'none') as ConfigInput['failOn'],
    ...(flags.outputDir !== undefined ? { outputDir: flags.outputDir } : {}),
    ...(flags.format !== undefined ? { formats: parseFormatList(flags.format) as ConfigInput['formats'] } : {}),
    ...(flags.json !== undefined ? { json: flags.json } : {}),
    ...(flags.quiet !== undefined ? { quiet: flags.quiet } : {}),
    ...(flags.color === false || (process.env.NO_COLOR ?? '') !== '' ? { color: false } : {}),
    system: { sampleSeconds: flags.sampleSeconds ?? 2 },
    api: endpoints.api,
    // the load test is on for the demo (issue 4), short enough for a first look
    load: { enabled: flags.load !== false, concurrency: [1, 5, 10, 25], durationSeconds: 3 },
    // the cross-layer diagnosis is on for the demo: each endpoint alone (the login too), a short window
    diagnosis: { enabled: true, endpoints: endpoints.diagnosed, ...(container ? { containers: [container] } : {}) },
    // the database phase looks at the app's own PostgreSQL database and Redis
    ...(stores ? { database: { url: stores.databaseUrl }, redis: { url: stores.redisUrl } } : {}),
    // the app in a container (--fault cpu-limit): the Docker phase and the diagnosis look at that container only
    ...(container ? { docker: { enabled: true, ...(process.env.DOCKER_HOST ? { host: process.env.DOCKER_HOST } : {}), include: { names: [container] } } } : {}),
  };
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ kind: 'invalid-value', source: 'perf-analyze demo', keyPath: issue.path.join('.'), detail: issue.message })),
    );
  }
  return result.data;
}

export async function demoCommand(flags: DemoFlags, version: string): Promise<number> {
  let config: Config;
  let faults: TargetAppFaults;
  try {
    faults = parseFaults(flags.fault);
    config = demoConfig(flags, 'http://127.0.0.1:1'); // flags checked before anything starts
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`${error instanceof UsageError ? 'perf-analyze: ' : ''}${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const say = config.quiet || config.json ? () => undefined : (text: string) => process.stderr.write(`demo: ${text}\n`);

  let stack: DemoStack | undefined;
  const emergencyStop = () => stack?.stopSync();
  const interrupts = handleInterrupts({
    message: 'perf-analyze: interrupted; stopping the demo stack after a partial report (Ctrl-C again to quit now)',
    beforeForcedExit: emergencyStop,
  });
  const signal = interrupts.signal;
  process.on('exit', emergencyStop);

  try {
    try {
      stack = await startDemoStack({ onStep: say });
      if (signal.aborted) return EXIT.interrupted;
      let container: string | undefined;
      let launcher: AppLauncher | undefined;
      if (faults.cpuLimitCores !== undefined) {
        say(`preparing a Docker container limited to ${faults.cpuLimitCores} cores for the app`);
        await prepareContainer();
        container = `perf-analyze-demo-${process.pid}`;
        launcher = containerLauncher({ name: container, cpus: faults.cpuLimitCores });
      }
      const app = await stack.startApp(faults, launcher ? { launcher } : {});
      say(`target app listening on ${app.url}${container ? ` in container ${container}` : ''} (faults: ${describeFaults(faults)})`);
      config = demoConfig(flags, app.url, app, container);
    } catch (error) {
      if (error instanceof MissingBinaryError) {
        process.stderr.write(`perf-analyze demo: ${error.message}\n`);
        return EXIT.usage;
      }
      throw error;
    }
    // the login reads its credentials from ${PERF_DEMO_USER} / ${PERF_DEMO_PASSWORD}
    Object.assign(process.env, demoEnvironment());
    const progress = config.quiet || config.json ? undefined : plainProgress((line) => process.stderr.write(line));
    const { report, files } = await runAnalysis(
      {
        config,
        configSource: 'perf-analyze demo',
        tool: { name: 'perf-analyze', version },
        signal: signal,
        ...(progress ? { onProgress: (event) => progress.onEvent(event) } : {}),
      },
      realPorts(),
    );
    progress?.stop();
    const color = config.color && process.stdout.isTTY === true;
    if (config.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (config.quiet) process.stdout.write(`${files.json ?? Object.values(files)[0] ?? ''}\n`);
    else {
      const lines = renderFindingLines(report, color);
      if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
      process.stdout.write(renderConsoleBox(report, { color, files: { json: files.json, text: files.text } }));
    }
    if (report.interrupted) return EXIT.interrupted;
    const { hasFindingsAtOrAbove } = await import('../run.js');
    return hasFindingsAtOrAbove(report.findings, config.failOn) ? EXIT.findings : EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`perf-analyze: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    say('stopping the demo stack');
    await stack?.stop();
    interrupts.dispose();
    process.off('exit', emergencyStop);
  }
}

function describeFaults(faults: TargetAppFaults): string {
  const parts = Object.entries(faults).map(([name, value]) => (value === true ? name : `${name}=${String(value)}`));
  return parts.join(', ');
}
