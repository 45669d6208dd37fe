import type { PhaseId, PhaseRecord, PhaseStatus } from '../contracts/artifact.js';
import type { Clock } from '../ports/clock.js';
import type { ProcessMeter } from '../ports/process.js';
import { errorMessage } from '../shared/errors.js';

export interface PhaseOutcome {
  status: PhaseStatus;
  reason?: string;
}

/**
 * Runs one phase, timing it and measuring what it cost the profiler. A phase that
 * throws becomes status "error" with the message as its reason: it never stops the run.
 */
export async function runPhase(
  id: PhaseId,
  work: () => Promise<PhaseOutcome>,
  ports: { clock: Clock; process: ProcessMeter },
): Promise<PhaseRecord> {
  const startedMs = ports.clock.monotonicMs();
  const cpuBefore = ports.process.cpuUsage();
  let outcome: PhaseOutcome;
  try {
    outcome = await work();
  } catch (error) {
    outcome = { status: 'error', reason: errorMessage(error) };
  }
  const cpuAfter = ports.process.cpuUsage();
  const record: PhaseRecord = {
    id,
    status: outcome.status,
    durationMs: round3(ports.clock.monotonicMs() - startedMs),
    cost: {
      cpuUserMs: round3(cpuAfter.userMs - cpuBefore.userMs),
      cpuSystemMs: round3(cpuAfter.systemMs - cpuBefore.systemMs),
      rssBytes: ports.process.rssBytes(),
    },
  };
  if (outcome.reason !== undefined) record.reason = outcome.reason;
  return record;
}


export const round3 = (value: number) => Math.round(value * 1000) / 1000;
