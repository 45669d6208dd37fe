import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainerCpu } from '../lib/containers.js';
import { formatPercent, joinList, levelAbove, round } from '../levels.js';

/** How many containers a message names. */
const NAMED = 3;

export const rule = defineRule({
  id: 'container-host-cpu',
  component: 'system',
  category: 'cpu',
  description:
    'When the host CPU crosses the cpu thresholds, the containers that use it, heaviest first (reads the system and docker artifacts; same levels as host-cpu-utilisation).',
  requires: ['system', 'docker'],
  check(context) {
    const { system, docker } = context.data;
    const total = system.cpu.totalPercent.value;
    if (total === null) return NOT_APPLICABLE;
    const crossed = levelAbove(total, context.thresholds.cpu);
    if (!crossed) return;
    const cores = docker.engine.cpus ?? system.cpu.cores;
    const busy = docker.containers
      .filter((container) => (container.cpu.percent.value ?? 0) > 0)
      .sort((a, b) => (b.cpu.percent.value ?? 0) - (a.cpu.percent.value ?? 0));
    const heaviest = busy[0];
    if (!heaviest || cores <= 0) return;
    // container CPU % is of one core; the host's is of all cores
    const hostShare = (percent: number) => percent / cores;
    const containersTotal = busy.reduce((sum, container) => sum + (container.cpu.percent.value ?? 0), 0);
    const named = busy.slice(0, NAMED);
    context.report({
      severity: crossed.severity,
      subject: containerSubject(heaviest),
      title: 'Containers behind the host CPU load',
      message:
        `The host CPU was ${formatPercent(total)} busy; containers used ${formatPercent(hostShare(containersTotal))} of the host's ${cores} cores. ` +
        `Heaviest (100 % = one core): ${joinList([...named.map(describeContainerCpu), ...(busy.length > named.length ? [`${busy.length - named.length} more`] : [])])}.`,
      evidence: {
        metric: 'docker.containers.cpu.percent',
        value: round(heaviest.cpu.percent.value ?? 0, 1),
        unit: '% (100 % = one core)',
        threshold: crossed.threshold,
      },
      recommendation:
        heaviest.cpu.limitCores === null
          ? `Start with ${composeHint(heaviest)}: it has no CPU limit, so it can take every core from the services around it. ` +
            `Cap it (\`docker update --cpus N ${heaviest.name}\` / compose \`cpus:\`) or profile it (\`docker top ${heaviest.name}\`); add cores if the load is expected.`
          : `Start with ${composeHint(heaviest)} (limit ${heaviest.cpu.limitCores} cores): profile it (\`docker top ${heaviest.name}\`), ` +
            'lower the limits of containers that are not on the request path, or add cores if the load is expected.',
    });
  },
});
