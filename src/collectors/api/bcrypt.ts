/**
 * Password hashing cost on this host: bcryptjs at cost factors 10-14, compared with the
 * login's server time. Costs are timed in ascending order and the walk stops once a hash
 * takes more than twice the server time (a higher cost cannot be the one in use), so a fast
 * login never pays for a cost-14 hash.
 */
import bcrypt from 'bcryptjs';
import type { BcryptAnalysis, BcryptTiming } from '../../contracts/api.js';
import { round3 } from './stats.js';

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** The fastest of a few hashes (cheap costs are repeated): other work on the host only ever adds time. */
export function timeHash(cost: number): number {
  const repeats = cost <= 10 ? 3 : cost <= 11 ? 2 : 1;
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = nowMs();
    bcrypt.hashSync('perf-analyze-probe', cost);
    best = Math.min(best, nowMs() - started);
  }
  return best;
}

export interface BcryptInput {
  configuredCost: number | null;
  /** the fastest login minus the unauthenticated baseline p50, ms; null when unknown */
  serverLoginMs: number | null;
  loginP50Ms: number | null;
  signal: AbortSignal;
  /** injectable for tests */
  hashMs?: (cost: number) => number;
}

export function analyseBcrypt(input: BcryptInput): BcryptAnalysis {
  const hashMs = input.hashMs ?? timeHash;
  const local: BcryptTiming[] = [];
  const costs = [10, 11, 12, 13, 14];
  if (input.configuredCost !== null && !costs.includes(input.configuredCost)) costs.push(input.configuredCost);
  costs.sort((a, b) => a - b);
  for (const cost of costs) {
    if (input.signal.aborted) break;
    const isConfigured = cost === input.configuredCost;
    const previous = local[local.length - 1];
    // past twice the server time no cost can match; the configured cost is always timed
    if (!isConfigured && previous && input.serverLoginMs !== null && previous.ms > 2 * input.serverLoginMs) continue;
    if (!isConfigured && input.serverLoginMs === null && cost > 12) continue;
    local.push({ cost, ms: round3(hashMs(cost)) });
  }

  let consistentCost: number | null = null;
  if (input.serverLoginMs !== null && input.serverLoginMs > 0) {
    let best = Infinity;
    for (const timing of local) {
      const distance = Math.abs(Math.log2(timing.ms / input.serverLoginMs));
      if (distance < best) {
        best = distance;
        consistentCost = timing.cost;
      }
    }
    // more than a factor 2 away from every cost: hashing is not what the login spends its time on
    if (best > 1) consistentCost = null;
  }
  const basisCost = input.configuredCost ?? consistentCost;
  const basisMs = basisCost === null ? undefined : local.find((timing) => timing.cost === basisCost)?.ms;
  const hashSharePercent =
    basisMs !== undefined && input.loginP50Ms !== null && input.loginP50Ms > 0 ? round3(Math.min(100, (basisMs / input.loginP50Ms) * 100)) : null;
  const basis =
    input.configuredCost !== null
      ? `cost ${input.configuredCost} from api.login.bcryptCost`
      : consistentCost !== null
        ? `cost ${consistentCost} is the bcryptjs cost whose hash time on this host is nearest the login's server time`
        : 'no bcrypt cost 10-14 takes about as long as the login (within a factor 2)';
  return {
    configuredCost: input.configuredCost,
    local,
    serverLoginMs: input.serverLoginMs === null ? null : round3(input.serverLoginMs),
    consistentCost,
    hashSharePercent,
    basis,
  };
}
