import type { PrerequisiteCheck } from '../contracts/artifact.js';
import type { Clock } from '../ports/clock.js';
import { round3 } from './phase-runner.js';
import { errorMessage } from '../shared/errors.js';

/** Node.js major.minor.patch the tool needs (package.json "engines"). */
export const MINIMUM_NODE = [20, 18, 1] as const;

export function nodeVersionCheck(version: string, durationMs: number): PrerequisiteCheck {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  let ok = true;
  for (let i = 0; i < MINIMUM_NODE.length; i++) {
    const have = parts[i] ?? 0;
    if (have !== MINIMUM_NODE[i]) {
      ok = have > MINIMUM_NODE[i]!;
      break;
    }
  }
  return {
    id: 'node-version',
    ok,
    durationMs,
    detail: ok ? `Node.js ${version}` : `Node.js ${version} is older than ${MINIMUM_NODE.join('.')}; upgrade Node.js`,
  };
}

/** Times a check that may throw; a throw is a failed check with the error as its detail. */
export async function timedCheck(id: string, clock: Clock, check: () => Promise<string>): Promise<PrerequisiteCheck> {
  const started = clock.monotonicMs();
  try {
    const detail = await check();
    return { id, ok: true, durationMs: round3(clock.monotonicMs() - started), detail };
  } catch (error) {
    const detail = errorMessage(error);
    return { id, ok: false, durationMs: round3(clock.monotonicMs() - started), detail };
  }
}
