import { defineRule, NOT_APPLICABLE } from '../../contracts/rule.js';

const subjectOf = (entry: { resource: string; container?: string }) =>
  entry.resource === 'container-cpu-limit' && entry.container ? `container:${entry.container}` : entry.resource === 'host-cpu' ? 'host:cpu' : 'diagnosis:connections';

/**
 * A resource already saturated in the diagnosis's control window, before any traffic of ours: it is
 * reported as background, never as an endpoint's cause (the causality is judged in the collector,
 * saturation.ts). Info: the Docker and system phases judge its severity on their own.
 */
export const rule = defineRule({
  id: 'diagnosis-background-saturation',
  component: 'api',
  category: 'api',
  description: 'Resources saturated before any traffic of the diagnosis (control window): background, not caused by the requests measured.',
  requires: ['diagnosis'],
  check(context) {
    const data = context.data.diagnosis;
    const control = data.control;
    if (!control) return NOT_APPLICABLE;
    for (const entry of control.saturated) {
      const what =
        entry.resource === 'container-cpu-limit'
          ? `${entry.subject} at its CPU limit`
          : entry.resource === 'host-cpu'
            ? `the host's CPU saturated`
            : `${entry.subject} all busy`;
      context.report({
        severity: 'info',
        subject: subjectOf(entry),
        title: `${what} before any traffic: not caused by these requests`,
        message:
          `In the control window (${data.limits.controlSeconds} s with no traffic of ours) ${what} (${entry.value} ${entry.unit}, limit ${entry.limit}). ` +
          `It is background: no endpoint's root cause names it, whatever it reached while the endpoints were driven.`,
        evidence: { metric: `diagnosis.control.saturated[${entry.subject}]`, value: entry.value, unit: entry.unit, threshold: entry.limit },
        recommendation:
          entry.resource === 'container-cpu-limit'
            ? `Check what ${entry.container ?? entry.subject} runs: it uses its whole CPU quota on its own. If it shares the host with the API, it takes CPU from it.`
            : 'Find what keeps it busy without our traffic (other services, batch jobs) before reading the endpoints\' times as the application\'s own.',
      });
    }
  },
});
