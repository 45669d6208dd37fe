import { existsSync } from 'node:fs';
import { DEFAULT_CONFIG_FILE_NAME } from '../config/init.js';
import { UsageError } from '../contracts/errors.js';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { realPorts } from '../ports/index.js';
import { hasFindingsAtOrAbove, runAnalysis } from '../run.js';
import { plainProgress, spinnerProgress, type ProgressView } from '../terminal/progress.js';
import { renderConsoleBox, renderFindingLines } from '../reporters/console.js';
import { publishForCi } from './publish.js';
import { handleInterrupts } from './interrupts.js';
import { EXIT } from './exit-codes.js';


export interface RunCommandFlags {
  config?: string;
  outputDir?: string;
  format?: string;
  failOn?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  sampleSeconds?: string;
  databaseUrl?: string;
  pgbouncerUrl?: string;
  redisUrl?: string;
  apiUrl?: string;
  load?: boolean;
  loadConcurrency?: string;
  loadDuration?: string;
  loadRates?: string;
  dockerHost?: string;
  diagnose?: boolean;
  baseline?: string;
  failOnRegression?: boolean;
  keep?: string;
  pushgateway?: string;
}

/**
 * Colour on a stream: a terminal, or FORCE_COLOR (the convention chalk and CI systems use);
 * NO_COLOR and --no-color (config.color false) win over both.
 */
function wantsColor(config: Config, stream: NodeJS.WriteStream): boolean {
  if (!config.color) return false;
  const forced = process.env.FORCE_COLOR;
  if (forced !== undefined && forced !== '' && forced !== '0' && forced !== 'false') return true;
  return stream.isTTY === true;
}

/** `perf-analyze run`: load the configuration, run the phases, print, and choose the exit code. */
export async function runCommand(flags: RunCommandFlags, version: string): Promise<number> {
  let config: Config;
  // -c, then PERF_ANALYZE_CONFIG, then the file `perf-analyze init` writes, if it is here
  const configPath =
    flags.config ?? (process.env.PERF_ANALYZE_CONFIG || undefined) ?? (existsSync(DEFAULT_CONFIG_FILE_NAME) ? DEFAULT_CONFIG_FILE_NAME : undefined);
  try {
    config = await loadConfig({
      ...(configPath !== undefined ? { configPath } : {}),
      env: process.env,
      flags: {
        ...(flags.outputDir !== undefined ? { outputDir: flags.outputDir } : {}),
        ...(flags.format !== undefined ? { formats: flags.format } : {}),
        ...(flags.failOn !== undefined ? { failOn: flags.failOn } : {}),
        ...(flags.quiet !== undefined ? { quiet: flags.quiet } : {}),
        ...(flags.json !== undefined ? { json: flags.json } : {}),
        ...(flags.color !== undefined ? { color: flags.color } : {}),
        ...(flags.sampleSeconds !== undefined ? { sampleSeconds: flags.sampleSeconds } : {}),
        ...(flags.databaseUrl !== undefined ? { databaseUrl: flags.databaseUrl } : {}),
        ...(flags.pgbouncerUrl !== undefined ? { pgbouncerUrl: flags.pgbouncerUrl } : {}),
        ...(flags.redisUrl !== undefined ? { redisUrl: flags.redisUrl } : {}),
        ...(flags.apiUrl !== undefined ? { apiUrl: flags.apiUrl } : {}),
        ...(flags.load !== undefined ? { load: flags.load } : {}),
        ...(flags.loadConcurrency !== undefined ? { loadConcurrency: flags.loadConcurrency } : {}),
        ...(flags.loadDuration !== undefined ? { loadDuration: flags.loadDuration } : {}),
        ...(flags.loadRates !== undefined ? { loadRates: flags.loadRates } : {}),
        ...(flags.dockerHost !== undefined ? { dockerHost: flags.dockerHost } : {}),
        ...(flags.diagnose !== undefined ? { diagnose: flags.diagnose } : {}),
        ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
        ...(flags.failOnRegression !== undefined ? { failOnRegression: flags.failOnRegression } : {}),
        ...(flags.keep !== undefined ? { keep: flags.keep } : {}),
        ...(flags.pushgateway !== undefined ? { pushgateway: flags.pushgateway } : {}),
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }

  const quiet = config.quiet;
  const json = config.json;
  const stderrColor = wantsColor(config, process.stderr);
  let progress: ProgressView | undefined;
  if (!quiet) {
    // the spinner redraws its line: only on a real terminal
    progress =
      stderrColor && process.stderr.isTTY === true
        ? await spinnerProgress(process.stderr, config.system.sampleSeconds)
        : plainProgress((line) => process.stderr.write(line));
  }

  const interrupts = handleInterrupts({ message: 'perf-analyze: interrupted; writing a partial report (Ctrl-C again to quit now)' });

  try {
    const outcome = await runAnalysis(
      {
        config,
        configSource: configPath ? `file ${configPath}` : 'defaults, environment and flags',
        tool: { name: 'perf-analyze', version },
        signal: interrupts.signal,
        ...(progress ? { onProgress: (event) => progress.onEvent(event) } : {}),
      },
      realPorts(),
    );
    progress?.stop();
    const { report, files } = outcome;
    for (const warning of outcome.warnings ?? []) process.stderr.write(`perf-analyze: ${warning}\n`);
    // CI integrations: GitHub annotations and step summary, the Pushgateway (issue 6)
    const ci = await publishForCi(report, config, process.env, json);
    for (const line of ci.stdout) process.stdout.write(`${line}\n`);
    for (const line of ci.stderr) process.stderr.write(`${line}\n`);

    if (json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (quiet) {
      process.stdout.write(`${files.json ?? Object.values(files)[0] ?? ''}\n`);
    } else {
      const stdoutColor = wantsColor(config, process.stdout);
      const findingLines = renderFindingLines(report, stdoutColor);
      if (findingLines.length > 0) process.stdout.write(`\n${findingLines.join('\n')}\n`);
      process.stdout.write(renderConsoleBox(report, { color: stdoutColor, files: { json: files.json, text: files.text } }));
    }

    if (report.interrupted) return EXIT.interrupted;
    if (config.baseline.failOnRegression && (report.baseline?.summary.regressions ?? 0) > 0) return EXIT.findings;
    return hasFindingsAtOrAbove(report.findings, config.failOn) ? EXIT.findings : EXIT.ok;
  } catch (error) {
    progress?.stop();
    if (error instanceof UsageError) {
      process.stderr.write(`perf-analyze: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}
