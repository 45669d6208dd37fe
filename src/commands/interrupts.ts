/**
 * Ctrl-C and SIGTERM for a command that writes a report: the first one aborts the returned signal
 * (load and sampling stop, the partial report is written); a second one, or INTERRUPT_EXIT_MS after
 * the first, ends the process at once: every file written so far is whole (writes are atomic).
 * (SIGHUP is ignored for every command from the start: src/cli.ts.)
 */
import { INTERRUPT_EXIT_MS } from '../pipeline/deadlines.js';

export interface Interrupts {
  signal: AbortSignal;
  /** removes the handlers and the watchdog (in `finally`) */
  dispose(): void;
}

export function handleInterrupts(options: { message: string; beforeForcedExit?: () => void }): Interrupts {
  const controller = new AbortController();
  let watchdog: NodeJS.Timeout | undefined;
  const dispose = () => {
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const endNow = (signal: NodeJS.Signals) => {
    options.beforeForcedExit?.();
    dispose();
    // the signal's default action ends the process at once (exit status 128 + signal: 130 for SIGINT)
    process.kill(process.pid, signal);
  };
  function onSignal(signal: NodeJS.Signals) {
    if (controller.signal.aborted) return endNow(signal);
    process.stderr.write(`\n${options.message}\n`);
    controller.abort();
    watchdog = setTimeout(() => {
      process.stderr.write(`perf-analyze: the partial report took longer than ${INTERRUPT_EXIT_MS / 1000} s; quitting now\n`);
      endNow('SIGINT');
    }, INTERRUPT_EXIT_MS);
    watchdog.unref();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}
