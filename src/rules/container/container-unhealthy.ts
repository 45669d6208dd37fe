import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer } from '../lib/containers.js';

export const rule = defineRule({
  id: 'container-unhealthy',
  component: 'system',
  category: 'container',
  description: 'A container whose health check reports "unhealthy".',
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    for (const container of docker.containers) {
      const health = container.health;
      if (health?.status !== 'unhealthy') continue;
      const last =
        health.lastOutput !== null || health.lastExitCode !== null
          ? ` Last check: exit code ${health.lastExitCode ?? '?'}${health.lastOutput ? `, output "${health.lastOutput}"` : ', no output'}.`
          : '';
      context.report({
        severity: 'critical',
        subject: containerSubject(container),
        title: 'Container unhealthy',
        message: `${describeContainer(container)} is unhealthy: its health check failed ${health.failingStreak} time${health.failingStreak === 1 ? '' : 's'} in a row.${last}`,
        evidence: { metric: 'docker.containers.health.failingStreak', value: health.failingStreak, unit: 'failed checks', threshold: 0 },
        recommendation:
          `Run the check by hand to see why it fails: \`docker inspect -f '{{json .State.Health}}' ${container.name}\` shows each recent attempt; ` +
          `then fix the service (\`docker logs --tail 100 ${container.name}\`) or the check itself of ${composeHint(container)} if it tests the wrong thing.`,
      });
    }
  },
});
