import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount, round } from '../levels.js';
import { ms, runPath } from '../lib/load-levels.js';

/** Below this gap (ms) between corrected and as-sent p99 the ratio is timer noise, not a stall. */
const MIN_GAP_MS = 10;

/**
 * Open model: p99 measured from each request's intended start (corrected) far above p99 as sent
 * means requests waited before they could even be sent: the target stalled (or ran out of
 * connections). A tool that measures only "as sent" would have hidden it (coordinated omission).
 */
export const rule = defineRule({
  id: 'load-coordinated-omission',
  component: 'api',
  category: 'api',
  description: 'Open-model runs whose corrected p99 is far above the as-sent p99 (stalls hidden from a naive measurement).',
  requires: ['load'],
  check(context) {
    const load = context.data.load;
    const rates = load.rates.filter((run) => run.latency.p99Ms !== null && run.asSentLatency?.p99Ms != null);
    if (rates.length === 0) return NOT_APPLICABLE;
    const limit = context.thresholds.loadCoordinatedOmission.warning;
    for (const run of rates) {
      const corrected = run.latency.p99Ms as number;
      const asSent = run.asSentLatency!.p99Ms as number;
      const ratio = corrected / Math.max(asSent, 0.001);
      if (ratio <= limit || corrected - asSent < MIN_GAP_MS) continue;
      // a saturated generator sends late by itself: then the gap may be the generator's, not the target's
      const generator = run.generator.saturated;
      context.report({
        severity: generator ? 'info' : 'warning',
        subject: `load:rate:${run.targetRps}`,
        title: `Requests waited for a stalled target at ${formatCount(run.targetRps ?? 0)} requests/s`,
        message:
          `At a fixed ${formatCount(run.targetRps ?? 0)} requests/s, p99 from each request's intended start was ${ms(corrected)} but only ${ms(asSent)} ` +
          `as sent (${round(ratio, 1)}x): ${formatCount(run.late ?? 0)} requests went out more than ${run.lateThresholdMs} ms late and ` +
          `${formatCount(run.dropped ?? 0)} were never sent, because all ${run.connections} connections were busy. Users see the corrected number.` +
          (generator ? ` The generator itself was saturated (${run.generator.reason ?? 'busy'}), so part of the wait may be its own.` : ''),
        evidence: { metric: `${runPath(run)}.latency.p99Ms / asSentLatency.p99Ms`, value: round(ratio, 1), unit: 'x', threshold: limit },
        recommendation:
          'Look for periodic stalls in the API: garbage-collection pauses, a blocking call on the event loop or a lock, a cron job or ' +
          'checkpoint at that moment; its max latency (' + ms(run.asSentLatency!.maxMs ?? 0) + ' as sent) is the length of the longest stall.',
      });
    }
  },
});
