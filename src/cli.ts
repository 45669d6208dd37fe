import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { RunCommandFlags } from './commands/run.js';
import { EXIT } from './commands/exit-codes.js';
import { REPORT_FORMATS } from './reporters/formats.js';

/**
 * The command-line program. With its commands, the only place that decides exit codes
 * (DESIGN.md section 3; the codes and their meaning are in commands/exit-codes.ts).
 * Heavy modules (collectors, reporters, ora, chalk) load lazily so --help and --version stay fast.
 */

const HELP_EXAMPLES = `
Examples:
  In a terminal (spinners, colour, a summary box):
    $ perf-analyze
    $ perf-analyze -c perf-analyze.yaml --sample-seconds 10

  Nightly from cron (quiet; prints only the report path; one report per night):
    15 3 * * * cd /srv/stack && flock -n /tmp/perf-analyze.lock perf-analyze --quiet -o /var/lib/perf-analyze

  As a CI step (JSON on stdout, exit 1 on findings at or above --fail-on):
    $ perf-analyze --json --fail-on warning > perf-report.json
    $ perf-analyze --format json,md,junit --fail-on warning     (GitHub: annotations and step summary)

  Nightly, compared with the night before (regressions are findings; exit 1 on any with --fail-on-regression):
    15 3 * * * cd /srv/stack && flock -n /tmp/perf-analyze.lock perf-analyze --quiet -o /var/lib/perf-analyze --baseline latest --keep 30
    $ perf-analyze compare reports/performance_analysis_report_20260101_031500.json reports/latest.json
    $ perf-analyze history --dir /var/lib/perf-analyze --metric scores.health --metric 'system.mounts[*].usedPercent'

Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or configuration error,
130 interrupted (a partial report is written), 3 internal error.
Environment: NO_COLOR disables colour; PERF_ANALYZE_CONFIG names a default config file;
DATABASE_URL names the PostgreSQL to analyse.
REDIS_URL names the Redis to analyse.
DOCKER_HOST names the Docker engine.
`;

// type-only: the run command's module still loads lazily
type RunFlags = RunCommandFlags;

function toolVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return packageJson.version;
}

/** Flags the user actually typed (commander also fills defaults, which must not override the config file). */
function typedFlags(command: Command): RunFlags {
  const all = command.opts<RunFlags>();
  const typed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (command.getOptionValueSource(key) === 'cli') typed[key] = value;
  }
  return typed as RunFlags;
}

function buildProgram(version: string, exitCodeOut: { code: number }): Command {
  const program = new Command('perf-analyze')
    .description('Profile a running web stack (host, containers, PostgreSQL, Redis, HTTP API) and report where it is slow or about to break.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const run = new Command('run')
    .description('run the analysis (the default command)')
    .option('-c, --config <file>', 'configuration file (YAML or JSON); see "perf-analyze init"')
    .option('-o, --output-dir <dir>', 'directory for the report files (default: reports)')
    .option('--format <list>', `comma-separated report formats: ${REPORT_FORMATS.join(',')} (default: json,text)`)
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity (default: critical)').choices(['critical', 'warning', 'info', 'none']))
    .option('--json', 'print the report JSON on stdout and nothing else')
    .option('--quiet', 'for cron: print only errors and the report path')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--sample-seconds <duration>', 'host sampling window, e.g. 5, 5s, 500ms (default: 5)')
    .option('--database-url <url>', 'PostgreSQL to analyse, e.g. postgres://app@127.0.0.1:5432/shop (also DATABASE_URL)')
    .option('--pgbouncer-url <url>', "PgBouncer's admin console, e.g. postgres://pgbouncer@127.0.0.1:6432/pgbouncer")
    .option('--redis-url <url>', 'Redis to analyse: redis://[:password@]host:port[/db] or rediss:// (also REDIS_URL)')
    .option('--api-url <url>', 'base URL of the HTTP API to time (also PERF_API_URL)')
    .option('--load', 'run the load test against api.baseUrl (default: off unless load.enabled)')
    .option('--no-load', 'do not run the load test')
    .option('--diagnose', 'drive each GET endpoint alone and attribute its time to queries and cache commands (needs api.baseUrl and a database or redis)')
    .option('--load-concurrency <list>', 'closed-model ladder, concurrent users per level, e.g. 1,5,10,25,50,100')
    .option('--load-duration <duration>', 'duration of each load level or rate, e.g. 10s (default: 10)')
    .option('--load-rates <list>', 'open-model fixed rates in requests/s, e.g. 100,200')
    .option('--docker-host <socket-or-url>', 'Docker engine: socket path or tcp:// URL (also DOCKER_HOST; default /var/run/docker.sock when it exists)')
    .option('--baseline <file|latest>', 'compare with an earlier report: a file, or "latest" (the newest earlier report in the output dir)')
    .option('--fail-on-regression', 'exit 1 when any metric regressed against the baseline')
    .option('--keep <n>', 'keep only the newest N reports in the output dir (a latest.json link points at the newest)')
    .option('--pushgateway <url>', 'push the Prometheus metrics to this Pushgateway after the run')
    .addHelpText('after', HELP_EXAMPLES)
    .exitOverride()
    .action(async (_options: RunFlags, command: Command) => {
      const { runCommand } = await import('./commands/run.js');
      exitCodeOut.code = await runCommand(typedFlags(command), version);
    });

  const init = new Command('init')
    .description('write a commented starter configuration file')
    .argument('[file]', 'where to write it', 'perf-analyze.yaml')
    .option('--force', 'overwrite an existing file')
    .exitOverride()
    .action(async (file: string, options: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      exitCodeOut.code = await initCommand(file, options.force === true);
    });

  const demo = new Command('demo')
    .description('start the bundled demo stack (throw-away PostgreSQL, Redis and a small API), analyse it, and stop it')
    .option('-o, --output-dir <dir>', 'directory for the report files (default: reports)')
    .option('--format <list>', `comma-separated report formats: ${REPORT_FORMATS.join(',')} (default: json,text)`)
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity (default: none)').choices(['critical', 'warning', 'info', 'none']))
    .option('--json', 'print the report JSON on stdout and nothing else')
    .option('--quiet', 'print only errors and the report path')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--sample-seconds <duration>', 'host sampling window (default: 2)')
    .option('--samples <n>', 'timed requests per endpoint (default: 20)')
    .option('--no-load', 'skip the load test (the demo runs a short one: 1-25 users, 3 s a level)')
    .option('--fault <list>', 'faults to inject: cache-off, missing-index, bcrypt-cost=N (default 12), latency=MS, error-rate=R, stall[=MS], login-no-token, n-plus-one, pool-max=N, cpu-limit=CORES (the app in a Docker container)')
    .exitOverride()
    .action(async (_options: unknown, command: Command) => {
      const { demoCommand } = await import('./commands/demo.js');
      exitCodeOut.code = await demoCommand(typedFlags(command), version);
    });

  const compare = new Command('compare')
    .description('compare two saved reports: regressions judged against noise, findings new / resolved / unchanged (exit 1 on regressions)')
    .argument('<old>', 'the baseline report (JSON)')
    .argument('<new>', 'the report to judge (JSON)')
    .option('--json', 'the comparison as JSON')
    .option('--all', 'list every metric, not only what changed')
    .option('-c, --config <file>', 'configuration file with the baseline tolerances')
    .exitOverride()
    .action(async (oldFile: string, newFile: string, options: { json?: boolean; all?: boolean; config?: string }) => {
      const { compareCommand } = await import('./commands/compare.js');
      exitCodeOut.code = await compareCommand(oldFile, newFile, options, await commandIo());
    });

  const history = new Command('history')
    .description('trend table over the saved reports, with a sparkline per metric')
    .option('--dir <dir>', 'directory of the reports (default: the configured output dir, reports)')
    .option('--metric <name...>', 'metric ids to show (repeatable; * matches anything), e.g. scores.health system.cpu.totalPercent')
    .option('--json', 'the trends as JSON')
    .option('-c, --config <file>', 'configuration file')
    .exitOverride()
    .action(async (options: { dir?: string; metric?: string[]; json?: boolean; config?: string }) => {
      const { historyCommand } = await import('./commands/history.js');
      exitCodeOut.code = await historyCommand(options, await commandIo());
    });

  const serve = new Command('serve')
    .description('serve the live dashboard: the dashboard API, /metrics (Prometheus) and the page at /, over the saved reports')
    .option('--host <address>', 'address to bind (default 127.0.0.1; any other needs --token)')
    .option('--port <n>', 'port (default 8000; 0 picks a free one)')
    .option('--token <secret>', 'require "Authorization: Bearer <secret>" on every request (also PERF_ANALYZE_TOKEN)')
    .option('--dir <dir>', 'directory of the saved reports (default: the configured output dir, reports)')
    .option('--rate-limit <n>', 'requests per second per client address (default 100, burst twice that)')
    .option('--refresh <seconds>', 'refresh interval of the page at / (default 5)')
    .option('--allow-load-test', 'allow POST load-test/start to run the configured load test against api.baseUrl')
    .option('-c, --config <file>', 'configuration file (database, Redis, API, thresholds)')
    .exitOverride()
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { serveCommand } = await import('./commands/serve.js');
      exitCodeOut.code = await serveCommand(options, (text) => void process.stdout.write(text), (text) => void process.stderr.write(text));
    });

  program.addCommand(run, { isDefault: true });
  program.addCommand(serve);
  program.addCommand(init);
  program.addCommand(demo);
  program.addCommand(compare);
  program.addCommand(history);
  program.addHelpText('after', HELP_EXAMPLES);
  return program;
}

async function commandIo() {
  const { realReportStore } = await import('./ports/reports.js');
  return {
    reports: realReportStore,
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
  };
}

/** After the command returned, what still holds the process (a hung file-system call, a socket) gets this long. */
const DRAIN_MS = 2000;

/**
 * Ends the process with `code` once the event loop drains, or DRAIN_MS later if something still
 * holds it: a command that returned never leaves a process behind (a cron job must not pile them up).
 */
export function exitWhenDone(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), DRAIN_MS).unref();
}

/**
 * A reader that went away (`perf-analyze | head -1`): the rest of the output is dropped, the run goes
 * on. SIGHUP (the terminal closed) does not stop a command either; set first, before any module loads.
 */
function survivePipesAndHangups(): void {
  process.on('SIGHUP', () => undefined);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  survivePipesAndHangups();
  const exitCode = { code: EXIT.ok };
  const program = buildProgram(toolVersion(), exitCode);
  try {
    await program.parseAsync(argv);
    return exitCode.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`perf-analyze: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
}
