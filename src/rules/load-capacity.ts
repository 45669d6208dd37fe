import type { Finding } from '../contracts/finding.js';
import type { Rule } from '../contracts/rule.js';
import { formatCount } from './levels.js';
import { loadMetricsOf } from './load-levels.js';

/**
 * Capacity (the knee of the concurrency ladder) against the spec KPIs: > 100 concurrent users
 * and > 500 requests/s sustained. A warning when the target broke below a KPI; info when the
 * ladder ended without breaking but never reached the KPI (not tested far enough to tell). A
 * ladder that stopped because the generator was saturated says nothing about the target: that is
 * load-generator-limited's finding.
 */
export const rule: Rule = {
  id: 'load-capacity',
  component: 'api',
  category: 'api',
  description: 'Capacity from the load test (concurrent users and requests/s at the knee) against the spec KPIs.',
  evaluate(context) {
    const load = loadMetricsOf(context);
    if (!load || !load.knee) return null;
    const knee = load.knee;
    if (knee.brokeAt?.reason === 'generator') return [];
    const usersKpi = context.thresholds.loadConcurrentUsers.warning;
    const rpsKpi = context.thresholds.loadThroughputRps.warning;
    const broke = knee.brokeAt !== null;
    const users = knee.capacity?.concurrency ?? 0;
    const rps = knee.capacity?.throughputRps ?? 0;
    const highest = Math.max(...load.ladder.map((level) => level.concurrency ?? 0));
    const findings: Finding[] = [];
    const why = knee.brokeAt ? ` At ${knee.brokeAt.concurrency} users ${knee.brokeAt.detail}.` : '';
    const advice =
      `Find what saturates at ${knee.brokeAt?.concurrency ?? highest} users while the load runs: the API's worker/thread count and its ` +
      'CPU, the database connection pool (clients waiting), slow queries and cache misses; the findings of the other phases name them.';

    if (users < usersKpi && (broke || highest < usersKpi)) {
      findings.push({
        ruleId: rule.id,
        severity: broke ? 'warning' : 'info',
        category: 'api',
        subject: 'load:ladder',
        title: broke ? `Capacity about ${users} concurrent users, below the KPI` : `Load test did not reach ${usersKpi} concurrent users`,
        message: broke
          ? `The target sustained about ${users} concurrent users (${formatCount(rps)} requests/s) within the knee criteria; the KPI is more than ${usersKpi}.${why}`
          : `The ladder ended at ${highest} concurrent users without breaking, so capacity against the KPI (> ${usersKpi} users) is unknown.`,
        evidence: { metric: 'load.knee.capacity.concurrency', value: users, unit: 'users', threshold: usersKpi },
        recommendation: broke ? advice : `Add levels up to and above ${usersKpi} (--load-concurrency 1,10,50,100,200) to find the knee.`,
      });
    }
    if (rps < rpsKpi && broke) {
      findings.push({
        ruleId: rule.id,
        severity: 'warning',
        category: 'api',
        subject: 'load:ladder',
        title: `Sustained about ${formatCount(rps)} requests/s, below the KPI`,
        message: `At its capacity (${users} concurrent users) the target served ${formatCount(rps)} requests/s; the KPI is more than ${formatCount(rpsKpi)} requests/s sustained.${why}`,
        evidence: { metric: 'load.knee.capacity.throughputRps', value: rps, unit: 'requests/s', threshold: rpsKpi },
        recommendation: advice,
      });
    }
    return findings;
  },
};
