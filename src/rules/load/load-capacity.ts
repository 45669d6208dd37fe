import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatCount } from '../levels.js';
import { sustainableCapacity } from '../lib/load-levels.js';

/**
 * Capacity in the units of the KPI: the highest request rate sustained within the SLO (the knee of
 * the concurrency ladder: p95, errors and growth criteria) against the spec KPI of > 500 requests/s
 * sustained. Concurrent users (spec KPI > 100) only with a think time (load.thinkTimeSeconds), by
 * Little's law: the ladder's closed-model connections send their next request at once, so they are
 * not users and are never compared with the users KPI. A warning when the target broke below a
 * KPI; info when the ladder ended without breaking below it (not tested far enough to tell). A
 * ladder that stopped because the generator was saturated says nothing about the target: that is
 * load-generator-limited's finding.
 */
export const rule = defineRule({
  id: 'load-capacity',
  component: 'api',
  category: 'api',
  description: 'Capacity from the load test as the highest request rate sustained within the SLO, against the requests/s KPI; concurrent users only with a think time (Little\'s law).',
  requires: ['load'],
  check(context) {
    const load = context.data.load;
    if (!load.knee) return NOT_APPLICABLE;
    const knee = load.knee;
    if (knee.brokeAt?.reason === 'generator') return;
    const usersKpi = context.thresholds.loadConcurrentUsers.warning;
    const rpsKpi = context.thresholds.loadThroughputRps.warning;
    const broke = knee.brokeAt !== null;
    const capacity = sustainableCapacity(load);
    const rps = capacity?.rps ?? 0;
    const highest = Math.max(...load.ladder.map((level) => level.concurrency ?? 0));
    const slo = `p95 <= ${knee.criteria.p95Ms} ms, errors < ${knee.criteria.maxErrorPercent} %`;
    const why = knee.brokeAt ? ` At ${knee.brokeAt.concurrency} connections ${knee.brokeAt.detail}.` : '';
    const advice =
      `Find what saturates at ${knee.brokeAt?.concurrency ?? highest} connections while the load runs: the API's worker/thread count and its ` +
      'CPU, the database connection pool (clients waiting), slow queries and cache misses; the findings of the other phases name them.';
    const closedModel = `(closed model: ${capacity ? `${knee.capacity?.concurrency} connections` : 'no level'} sending without pause)`;

    if (rps < rpsKpi && (broke || rps > 0)) {
      context.report({
        severity: broke ? 'warning' : 'info',
        subject: 'load:ladder',
        title: broke ? `Capacity about ${formatCount(rps)} requests/s within the SLO, below the KPI` : `Load test did not reach ${formatCount(rpsKpi)} requests/s`,
        message: broke
          ? `The highest request rate sustained within the SLO (${slo}) was about ${formatCount(rps)} requests/s ${closedModel}; the KPI is more than ${formatCount(rpsKpi)} requests/s sustained.${why}`
          : `The ladder ended at ${highest} connections and ${formatCount(rps)} requests/s without breaking the SLO (${slo}), so capacity against the KPI (> ${formatCount(rpsKpi)} requests/s) is unknown.`,
        evidence: { metric: 'load.knee.capacity.throughputRps', value: rps, unit: 'requests/s', threshold: rpsKpi },
        recommendation: broke ? advice : `Add levels (--load-concurrency 1,10,50,100,200) until the SLO breaks to find the highest sustainable rate.`,
      });
    }
    // users only with a think time: users = rate x (think time + response time)
    if (capacity && capacity.users !== null && capacity.thinkTimeSeconds !== null && capacity.users < usersKpi && broke) {
      context.report({
        severity: 'warning',
        subject: 'load:ladder',
        title: `Capacity about ${formatCount(capacity.users)} concurrent users at ${capacity.thinkTimeSeconds} s think time, below the KPI`,
        message:
          `By Little's law, users = rate x (think time + response time): ${formatCount(rps)} requests/s x (${capacity.thinkTimeSeconds} s + ${((capacity.responseMs ?? 0) / 1000).toFixed(3)} s) ` +
          `= about ${formatCount(capacity.users)} concurrent users with the think time of load.thinkTimeSeconds; the KPI is more than ${usersKpi}.${why}`,
        evidence: { metric: 'load.knee.capacity.throughputRps x (load.thinkTimeSeconds + mean response time)', value: capacity.users, unit: 'users', threshold: usersKpi },
        recommendation: advice,
      });
    }
  },
});
