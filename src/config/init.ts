import { writeFile as writeFileToDisk } from 'node:fs/promises';
import { DEFAULT_THRESHOLDS } from '../rules/thresholds.js';
import { THRESHOLD_DESCRIPTIONS } from './schema.js';

/** The file `perf-analyze init` writes when given no path. */
export const DEFAULT_CONFIG_FILE_NAME = 'perf-analyze.yaml';

/**
 * The commented starter file. Every value here is the default (a test loads it back and
 * compares with the defaults), so writing it changes nothing until the user edits it.
 * The commented-out threshold examples quote the current defaults.
 */
export function starterConfigYaml(): string {
  return `# yaml-language-server: $schema=./node_modules/perf-analyze/schema/config.schema.json
# perf-analyze configuration. Every value below is the default; change what you need.
# Precedence: defaults < environment (NO_COLOR) < this file < command-line flags.
# perf-analyze reads ./${DEFAULT_CONFIG_FILE_NAME} by itself; elsewhere use --config FILE (or PERF_ANALYZE_CONFIG).

# Where editors find the JSON Schema of this file (completion and help); ignored by perf-analyze.
$schema: ./node_modules/perf-analyze/schema/config.schema.json

# Directory the report files are written to (--output-dir).
outputDir: reports

# Report formats written to outputDir: json, text (--format json,text).
formats: [json, text]

# Exit with code 1 when a finding is at least this severe: critical, warning, info or none (--fail-on).
failOn: critical

# For cron: print only errors and the report path (--quiet).
quiet: false

# Colour the terminal output; the NO_COLOR environment variable turns it off (--no-color).
color: true

# Print the report JSON to stdout and nothing else on stdout (--json).
json: false

# The host (system resources) phase.
system:
  # How long CPU, disk and network are sampled: seconds, or "500ms", "5s", "1m"; 0.2 s to 300 s (--sample-seconds).
  sampleSeconds: 5

# Overrides of the rules' default thresholds; give only the values you change.
# Each rule raises a finding above its info / warning / critical value; "normal" is where its score starts to fall.
# Within an entry the values must rise: normal < info < warning < critical.
thresholds:
  # cpu:              # ${THRESHOLD_DESCRIPTIONS.cpu}. Source: specification, system resource baselines
  #   warning: ${DEFAULT_THRESHOLDS.cpu.warning}
  #   critical: ${DEFAULT_THRESHOLDS.cpu.critical}
  # disk:             # ${THRESHOLD_DESCRIPTIONS.disk}. Source: specification, disk usage row
  #   warning: ${DEFAULT_THRESHOLDS.disk.warning}
  #   critical: ${DEFAULT_THRESHOLDS.disk.critical}
  # diskAwaitMs:      # ${THRESHOLD_DESCRIPTIONS.diskAwaitMs}. Source: Netdata host alarms (SPEC-THRESHOLDS host row)
  #   warning: ${DEFAULT_THRESHOLDS.diskAwaitMs.warning}
  #   critical: ${DEFAULT_THRESHOLDS.diskAwaitMs.critical}
`;
}

/** The one file-system call writeStarterConfig needs; node:fs/promises fits. */
export interface StarterConfigWriter {
  writeFile(path: string, data: string, options: { encoding: 'utf8'; flag: 'w' | 'wx' }): Promise<void>;
}

/**
 * Writes the starter file. Without `force` an existing file is left alone and the result is
 * 'exists' (the CLI says so and exits 2); the check and the write are one call (flag "wx"), so
 * nothing can slip in between. Other errors (no such directory, permission denied) are thrown as is.
 */
export async function writeStarterConfig(
  path: string,
  options: { force: boolean },
  writer: StarterConfigWriter = { writeFile: writeFileToDisk },
): Promise<'written' | 'exists'> {
  try {
    await writer.writeFile(path, starterConfigYaml(), { encoding: 'utf8', flag: options.force ? 'w' : 'wx' });
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EEXIST') return 'exists';
    throw error;
  }
}
