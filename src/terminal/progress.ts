import type { PhaseId, PhaseRecord } from '../contracts/artifact.js';
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

/** Plain lines for logs and pipes (no TTY): one line per finished phase. */
export function plainProgress(write: (line: string) => void): ProgressView {
  return {
    onEvent(event) {
      if (event.type === 'phase-end') write(`[perf-analyze] ${outcome(event.record)}\n`);
    },
    stop() {},
  };
}

/**
 * An ora spinner per phase on a colour terminal (stderr), loaded lazily so --help stays fast.
 * Without colour the CLI uses plainProgress: ora's symbols carry colour codes.
 */
export async function spinnerProgress(stream: NodeJS.WriteStream, sampleSeconds: number): Promise<ProgressView> {
  const { default: ora } = await import('ora');
  // discardStdin off: ora's raw-mode stdin would swallow Ctrl-C instead of letting the terminal send SIGINT
  const spinner = ora({ stream, color: 'cyan', isEnabled: true, discardStdin: false });
  return {
    onEvent(event) {
      if (event.type === 'phase-start') {
        const extra = event.id === 'system' ? ` (${sampleSeconds} s window)` : '';
        spinner.start(`${LABELS[event.id]}${extra}…`);
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
