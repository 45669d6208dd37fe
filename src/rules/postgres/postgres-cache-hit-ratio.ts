import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatPercent, levelAbove, round } from '../levels.js';
import { databasesWith } from '../lib/postgres-common.js';

export const rule = defineRule({
  id: 'postgres-cache-hit-ratio',
  component: 'database',
  category: 'database',
  description: 'Share of table and index block reads served from shared buffers (since the stats reset).',
  requires: ['postgres'],
  check(context) {
    const found = databasesWith(context.data.postgres, (database) => database.cacheHit);
    if (!found) return NOT_APPLICABLE;
    for (const { database, value } of found) {
      for (const kind of (['table', 'index'] as const)) {
        const hit = kind === 'table' ? value.tablePercent.value : value.indexPercent.value;
        if (hit === null) continue;
        const miss = 100 - hit;
        const crossed = levelAbove(miss, context.thresholds.cacheMissPercent);
        if (!crossed) continue;
        context.report({
          severity: crossed.severity,
          subject: `postgres:database:${database.name}`,
          title: `Low ${kind} cache hit ratio`,
          message: `${kind === 'table' ? 'Table' : 'Index'} cache hit ratio of database ${database.name} is ${formatPercent(hit)} since the statistics were reset: ${formatPercent(miss)} of block reads go to disk or the OS cache.`,
          evidence: { metric: `postgres.databases[${database.name}].cacheHit.${kind}Percent`, value: round(hit, 2), unit: '%', threshold: round(100 - crossed.threshold, 2) },
          recommendation:
            'The working set does not fit in shared_buffers: raise shared_buffers (about 25 % of RAM is the usual start) if memory allows, ' +
            'and look at the top queries by total time for sequential scans of large tables that an index would avoid.',
        });
      }
    }
  },
});
