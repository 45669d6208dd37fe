import type { Finding } from '../contracts/finding.js';
import type { Rule } from '../contracts/rule.js';
import { composeHint, containerSubject, describeContainer, dockerMetricsOf } from './containers.js';
import { formatWindow } from './levels.js';

export const rule: Rule = {
  id: 'container-restart-loop',
  component: 'system',
  category: 'container',
  description: 'A container restarted by its restart policy during the window, or seen waiting to restart.',
  evaluate(context) {
    const docker = dockerMetricsOf(context);
    if (!docker) return null;
    const levels = context.thresholds.containerRestarts;
    const findings: Finding[] = [];
    for (const container of docker.containers) {
      const { duringWindow, count, restartingSeen, policy } = container.restarts;
      const rising = duringWindow > levels.critical;
      // "restarting": its process exited and the policy is about to start it again
      if (!rising && !(restartingSeen && count > 0)) continue;
      const exit = container.exitCode !== null ? ` Last exit code ${container.exitCode}.` : '';
      findings.push({
        ruleId: rule.id,
        severity: 'critical',
        category: 'container',
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
    return findings;
  },
};
