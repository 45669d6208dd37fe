import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { formatBytes, formatPercent } from '../levels.js';
import { INSTANCE_SUBJECT, serversOf } from '../lib/postgres-common.js';

/**
 * Settings review, as info (issue 3). Levels from the PostgreSQL documentation ("Resource
 * Consumption"): shared_buffers "a reasonable starting value is 25 % of the memory"; below
 * 10 % of RAM on a host with >= 2 GB is called out. random_page_cost 4 is the default tuned
 * for spinning disks; on SSDs 1.1 is the common value (the documentation: "lower it for SSDs").
 * work_mem x max_connections above RAM: each sort or hash of each session may take work_mem.
 */
const SHARED_BUFFERS_MIN_PERCENT = 10;
const MIN_RAM_FOR_REVIEW = 2e9;

export const rule = defineRule({
  id: 'postgres-settings-review',
  component: 'database',
  category: 'database',
  description: 'shared_buffers vs RAM, work_mem x max_connections vs RAM, random_page_cost (info).',
  requires: ['postgres'],
  optional: ['system'],
  check(context) {
    const servers = serversOf(context.data.postgres);
    if (!servers) return NOT_APPLICABLE;
    const ram = context.data.system?.memory.totalBytes.value ?? null;
    for (const server of servers) {
      const setting = (name: string) => server.settings.find((entry) => entry.name === name);
      const sharedBuffers = setting('shared_buffers');
      const workMem = setting('work_mem');
      const maxConnections = setting('max_connections');
      const randomPageCost = setting('random_page_cost');
      const info = (title: string, message: string, metric: string, value: number | string, unit: string, threshold: number | string, recommendation: string) =>
        context.report({ severity: 'info', subject: INSTANCE_SUBJECT, title, message, evidence: { metric, value, unit, threshold }, recommendation });

      if (ram !== null && ram >= MIN_RAM_FOR_REVIEW && sharedBuffers?.numeric != null) {
        const percent = (sharedBuffers.numeric / ram) * 100;
        if (percent < SHARED_BUFFERS_MIN_PERCENT) {
          info(
            'shared_buffers small for this host',
            `shared_buffers is ${sharedBuffers.value} on ${server.server}, ${formatPercent(percent)} of the host's ${formatBytes(ram)} RAM (if PostgreSQL runs on this host).`,
            `postgres.servers[${server.server}].settings.shared_buffers`, sharedBuffers.numeric, 'bytes', SHARED_BUFFERS_MIN_PERCENT,
            `Set shared_buffers to about 25 % of RAM (${formatBytes(ram * 0.25)}) in postgresql.conf and restart, unless other services need that memory.`,
          );
        }
      }
      if (ram !== null && workMem?.numeric != null && maxConnections?.numeric != null && workMem.numeric * maxConnections.numeric > ram) {
        info(
          'work_mem x max_connections exceeds RAM',
          `work_mem ${workMem.value} x max_connections ${maxConnections.value} = ${formatBytes(workMem.numeric * maxConnections.numeric)}, more than the host's ${formatBytes(ram)}: a burst of sorts could exhaust memory.`,
          `postgres.servers[${server.server}].settings.work_mem`, workMem.numeric, 'bytes', Math.round(ram / maxConnections.numeric),
          'Lower work_mem globally and raise it per role or per query where big sorts need it (SET work_mem), or cap connections with a pooler.',
        );
      }
      if (randomPageCost?.numeric != null && randomPageCost.numeric >= 4) {
        info(
          'random_page_cost tuned for spinning disks',
          `random_page_cost is ${randomPageCost.value} on ${server.server} (the default, for spinning disks): on SSD or cloud storage the planner then avoids index scans it should use.`,
          `postgres.servers[${server.server}].settings.random_page_cost`, randomPageCost.numeric, '', 4,
          'On SSD storage: ALTER SYSTEM SET random_page_cost = 1.1; SELECT pg_reload_conf();',
        );
      }
    }
  },
});
