import { defineRule } from '../../contracts/rule.js';
import { composeHint, containerSubject, describeContainer } from '../lib/containers.js';

/** Exit codes of a process ended by a signal (128 + n): SIGINT, SIGKILL, SIGTERM, as `docker stop` leaves them. */
const SIGNAL_EXITS: ReadonlySet<number> = new Set([130, 137, 143]);

export const rule = defineRule({
  id: 'container-exited-error',
  component: 'system',
  category: 'container',
  description:
    'A container that exited with a non-zero code within docker.recentExitHours (warning; info when ended by a signal, as `docker stop` does). ' +
    'Severity is a design choice (no SPEC-THRESHOLDS row): an exited service serves nothing.',
  requires: ['docker'],
  check(context) {
    const docker = context.data.docker;
    for (const container of docker.containers) {
      const code = container.exitCode;
      const ago = container.exitedSecondsAgo;
      if (container.state !== 'exited' && container.state !== 'dead') continue;
      if (code === null || code === 0 || ago === null || ago > docker.recentExitSeconds) continue;
      // reported by container-oom-killed
      if (container.oomKilled) continue;
      const bySignal = SIGNAL_EXITS.has(code);
      const when = ago < 120 ? `${ago} s ago` : ago < 7200 ? `${Math.round(ago / 60)} min ago` : `${Math.round(ago / 3600)} h ago`;
      context.report({
        severity: bySignal ? 'info' : 'warning',
        subject: containerSubject(container),
        title: bySignal ? 'Container stopped by a signal' : 'Container exited with an error',
        message:
          `${describeContainer(container)} exited with code ${code} ${when}` +
          (bySignal ? ` (signal ${code - 128}: stopped by \`docker stop\`, a kill or the host shutting down).` : '.') +
          (container.restarts.policy === 'no' ? ' It has no restart policy, so it stays down.' : ''),
        evidence: { metric: 'docker.containers.exitCode', value: code, unit: 'exit code', threshold: 0 },
        recommendation:
          `\`docker logs --tail 100 ${container.name}\` shows why ${composeHint(container)} ended. ` +
          (bySignal
            ? 'If nobody stopped it on purpose, look for who sent the signal (deploy scripts, a supervisor, the host OOM killer in `journalctl -k`).'
            : 'Fix the cause, then start it again; give long-running services a restart policy (`--restart unless-stopped` / compose `restart:`) so a crash does not leave them down.'),
      });
    }
  },
});
