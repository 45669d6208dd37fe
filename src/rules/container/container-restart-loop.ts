import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer } from '../lib/containers.js';
import { formatWindow } from '../levels.js';

export const rule = defineRule({
  id: 'container-restart-loop',
  component: 'system',
  category: 'container',
  description: 'A container restarted by its restart policy during the window, or seen waiting to restart.',
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    const levels = context.thresholds.containerRestarts;
    for (const container of docker.containers) {
      const { duringWindow, count, restartingSeen, policy } = container.restarts;
      const rising = duringWindow > levels.critical;
      // "restarting": its process exited and the policy is about to start it again
      if (!rising && !(restartingSeen && count > 0)) continue;
      const exit = container.exitCode !== null ? ` Last exit code ${container.exitCode}.` : '';
      context.report({
        severity: 'critical',
        subject: containerSubject(container),
        title: 'Container restart loop',
        message:
          `${describeContainer(container)} restarted ${duringWindow} time${duringWindow === 1 ? '' : 's'} during the ` +
          `${formatWindow(docker.windowMs)} window (${count} since it was created, restart policy "${policy}")` +
          (restartingSeen ? ' and was seen waiting to restart' : '') +
          `; it is now ${container.state}.${exit}`,
        evidence: { metric: 'docker.containers.restarts.duringWindow', value: duringWindow, unit: 'restarts', threshold: levels.critical },
        recommendation:
          `Read why ${composeHint(container)} exits: \`docker logs --tail 100 ${container.name}\` and ` +
          `\`docker inspect -f '{{.State.ExitCode}} {{.State.Error}} {{.State.OOMKilled}}' ${container.name}\`. ` +
          'Common causes: a dependency not ready at start (add a health-check based depends_on), a bad configuration or secret, or an OOM kill at its memory limit.',
      });
    }
  },
});
