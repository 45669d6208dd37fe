import type { PhaseId, PhaseRecord } from '../contracts/artifact.js';
import type { CollectorProgress } from '../contracts/collector.js';
import type { ProgressEvent } from '../run.js';

const LABELS: Record<PhaseId, string> = {
  prerequisites: 'Checking prerequisites',
  system: 'Sampling host resources',
  docker: 'Docker containers',
  database: 'Databases',
  api: 'API performance',
  insights: 'Generating insights',
  report: 'Writing the report',
};

export interface ProgressView {
  onEvent(event: ProgressEvent): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const outcome = (record: PhaseRecord) =>
  `${LABELS[record.id]}: ${record.status} (${seconds(record.durationMs)})${record.reason ? ` - ${record.reason}` : ''}`;

const COLLECTOR_LABELS: Record<string, string> = { load: 'Load test' };
const stepName = (progress: CollectorProgress) =>
  `${COLLECTOR_LABELS[progress.collector] ?? progress.collector}: ${progress.step} (${progress.index}/${progress.steps})`;

/** A finished step of a long collector, as a plain line: "Load test: 25 users (4/6): 1,234 requests/s, ...". */
export function progressLine(progress: CollectorProgress): string | null {
  return progress.done === undefined ? null : `${stepName(progress)}: ${progress.done}`;
}

/** A step under way, with a bar: "Load test: 25 users (4/6) [#####-----] 3.2/10.0 s, 4,120 requests". */
export function progressBar(progress: CollectorProgress, width = 20): string {
  const share = progress.plannedMs > 0 ? Math.min(1, Math.max(0, progress.elapsedMs / progress.plannedMs)) : 0;
  const filled = Math.round(share * width);
  const errors = progress.errors > 0 ? `, ${progress.errors.toLocaleString('en-US')} errors` : '';
  return (
    `${stepName(progress)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` +
    `${(progress.elapsedMs / 1000).toFixed(1)}/${(progress.plannedMs / 1000).toFixed(1)} s, ${progress.requests.toLocaleString('en-US')} requests${errors}`
  );
}

/** Plain lines for logs and pipes (no TTY): one line per finished phase, and per finished load level or rate. */
export function plainProgress(write: (line: string) => void): ProgressView {
  return {
    onEvent(event) {
      if (event.type === 'phase-end') write(`[perf-analyze] ${outcome(event.record)}\n`);
      if (event.type === 'collector-progress') {
        const line = progressLine(event.progress);
        if (line !== null) write(`[perf-analyze] ${line}\n`);
      }
    },
    stop() {},
  };
}

/**
 * An ora spinner per phase on a colour terminal (stderr), loaded lazily so --help stays fast.
 * Without colour the CLI uses plainProgress: ora's symbols carry colour codes.
 */
export async function spinnerProgress(stream: NodeJS.WriteStream, sampleSeconds: number): Promise<ProgressView> {
  // a terminal of zero columns (a pty nobody sized, e.g. `script` without a terminal): ora would divide
  // the text by 0 columns and clear lines without end; plain lines instead
  if (!(stream.columns > 0)) return plainProgress((line) => stream.write(line));
  const { default: ora } = await import('ora');
  // discardStdin off: ora's raw-mode stdin would swallow Ctrl-C instead of letting the terminal send SIGINT
  const spinner = ora({ stream, color: 'cyan', isEnabled: true, discardStdin: false });
  let phaseText = '';
  return {
    onEvent(event) {
      if (event.type === 'phase-start') {
        const extra = event.id === 'system' ? ` (${sampleSeconds} s window)` : '';
        phaseText = `${LABELS[event.id]}${extra}…`;
        spinner.start(phaseText);
        return;
      }
      if (event.type === 'collector-progress') {
        // the bar redraws in the spinner's line; a finished level stays above it
        const line = progressLine(event.progress);
        if (line === null) {
          spinner.text = `${phaseText} ${progressBar(event.progress)}`;
          return;
        }
        spinner.stopAndPersist({ symbol: ' ', text: line });
        spinner.start(phaseText);
        return;
      }
      const text = outcome(event.record);
      if (event.record.status === 'ok') spinner.succeed(text);
      else if (event.record.status === 'skipped') spinner.info(text);
      else if (event.record.status === 'partial') spinner.warn(text);
      else spinner.fail(text);
    },
    stop() {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
