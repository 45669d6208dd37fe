import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { joinList } from '../levels.js';
import { runPath, runSubject } from '../lib/load-levels.js';

/**
 * When the load generator itself was saturated (its CPU near one full core, or its event loop
 * delayed), the numbers of that run are the generator's limit, not the target's: say so, instead
 * of blaming the target. One finding for the ladder (naming every saturated level), one per rate.
 */
export const rule = defineRule({
  id: 'load-generator-limited',
  component: 'api',
  category: 'api',
  description: 'Load-test runs where the generator, not the target, was the bottleneck.',
  requires: ['load'],
  check(context) {
    const load = context.data.load;
    if (load.ladder.length + load.rates.length === 0) return NOT_APPLICABLE;
    const ladder = load.ladder.filter((run) => run.generator.saturated);
    const groups = [...(ladder.length > 0 ? [ladder] : []), ...load.rates.filter((run) => run.generator.saturated).map((run) => [run])];
    for (const runs of groups) {
      const worst = [...runs].sort((a, b) => b.generator.cpuPercent - a.generator.cpuPercent)[0]!;
      const where = worst.model === 'closed' ? `at ${joinList(runs.map((run) => String(run.concurrency)))} concurrent users` : `at ${worst.targetRps} requests/s`;
      const cpuBound = worst.generator.cpuPercent >= load.limits.generator.cpuPercent;
      context.report({
        severity: 'info',
        subject: runSubject(worst),
        title: `The limit was the generator, not the target (${where})`,
        message:
          `The load generator was saturated ${where} (${worst.generator.reason ?? 'busy'}): throughput and latency there are ` +
          `the generator's limit, not the target's${load.knee?.brokeAt?.reason === 'generator' ? '; the knee search stopped on it' : ''}.`,
        evidence: cpuBound
          ? { metric: `${runPath(worst)}.generator.cpuPercent`, value: worst.generator.cpuPercent, unit: '% of one core', threshold: load.limits.generator.cpuPercent }
          : { metric: `${runPath(worst)}.generator.eventLoopDelayP99Ms`, value: worst.generator.eventLoopDelayP99Ms, unit: 'ms', threshold: load.limits.generator.eventLoopDelayMs },
        recommendation:
          'Run perf-analyze on another machine than the target (or pin it to its own core with taskset), close other busy processes, ' +
          'or test fewer users/rates; to go beyond one generator core use several generators.',
      });
    }
  },
});
