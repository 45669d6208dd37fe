import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';

export const rule = defineRule({
  id: 'docker-engine-unreachable',
  component: 'system',
  category: 'availability',
  description:
    'The Docker phase was configured but the engine could not be read (stopped, no socket, permission denied). ' +
    'Warning, as the spec rates an unavailable cache: the containers were not measured.',
  // the rule is about the Docker phase failing: it reads the failed artifact itself
  requires: [],
  check(context) {
    const artifact = context.artifacts.docker;
    if (!artifact) return NOT_APPLICABLE;
    if (artifact.status !== 'error') return;
    const reason = artifact.error ?? 'unknown error';
    const permission = /permission denied/i.test(reason);
    context.report({
      severity: 'warning',
      subject: 'docker:engine',
      title: 'Docker engine unreachable',
      message: `The Docker phase could not read the engine: ${reason}. No container was measured.`,
      evidence: { metric: 'docker.status', value: 'error', unit: 'status', threshold: 'ok' },
      recommendation: permission
        ? 'Run perf-analyze as a user in the group that owns the Docker socket (usually `docker`: `usermod -aG docker <user>`, then log in again), or as root.'
        : 'Check the engine with `docker info` (same DOCKER_HOST): start it (`systemctl start docker`) or point docker.host / --docker-host / DOCKER_HOST at the right socket or URL; set docker.enabled: false to skip the phase.',
    });
  },
});
