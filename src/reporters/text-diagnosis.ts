/**
 * The root causes of the text summary (issue 8): the diagnosis findings first, ranked as the rule
 * ranks them (time per request their fix would save), then per endpoint what its own traffic caused.
 */
import type { DiagnosisMetrics, EndpointDiagnosis } from '../contracts/diagnosis.js';
import type { Finding } from '../contracts/finding.js';
import { MAX_WIDTH, hanging, heading, oneLine, rootCauses, table, wrap } from './format.js';

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1));

/** "GET /x: mean latency 4.1x from 2 to 8 users; first saturated: container api (99 % of its CPU limit at 2 users); busiest container api 24.8 %, host CPU 60 %" */
export function scalingLine(endpoint: EndpointDiagnosis): string | null {
  const saturation = endpoint.saturation;
  const resources = endpoint.scaling?.resources ?? endpoint.resources;
  if (!saturation && !resources) return null;
  const parts: string[] = [];
  if (saturation?.latencyGrowth != null) parts.push(`mean latency ${saturation.latencyGrowth.toFixed(1)}x from ${saturation.fromConcurrency} to ${saturation.toConcurrency} users`);
  const first = saturation?.saturated[0];
  parts.push(first ? `first saturated: ${first.subject} (${first.value} ${first.unit} at ${first.atConcurrency} users)` : 'nothing saturated');
  if (resources) {
    const busiest = resources.containers[0];
    const host = resources.hostCpuPercent === null ? 'host CPU not read' : `host CPU ${resources.hostCpuPercent} %`;
    parts.push(`${busiest ? `busiest container ${busiest.name} ${busiest.cpuPercent ?? '?'} % of one core, ` : ''}${host}, generator ${resources.generator.cpuPercent} % of one core`);
  }
  return `${oneLine(endpoint.name)}: ${parts.join('; ')}.`;
}

/** "mean 3.10 ms: database 0.20, cache about 0.10, other 2.80 ms" */
function breakdownLine(breakdown: NonNullable<Finding['breakdown']>): string {
  const part = (label: string, value: number | null) => `${label} ${value === null ? 'not observed' : ms(value)}`;
  return `mean ${ms(breakdown.meanMs)} ms: ${part('database', breakdown.databaseMs)}, ${part('cache about', breakdown.cacheMs)}, ${part('other', breakdown.otherMs)} ms`;
}

export function rootCauseSection(diagnosis: DiagnosisMetrics | undefined, findings: readonly Finding[]): string[] {
  const causes = rootCauses(findings);
  if (!diagnosis && causes.length === 0) return [];
  const lines = heading('ROOT CAUSES (each endpoint driven alone; database and cache deltas of its window)');
  const within = findings.filter((finding) => finding.ruleId === 'diagnosis-root-cause' && finding.severity === 'info');
  if (causes.length === 0) lines.push(within.length > 0 ? 'No endpoint above its warning level; where the time of each goes is below.' : 'No endpoint was diagnosed.');
  causes.forEach((finding, index) => {
    lines.push(...hanging(`${index + 1}. `, `[${finding.severity.toUpperCase()}] ${oneLine(finding.message)}`));
    lines.push(...hanging('   -> ', oneLine(finding.recommendation)));
  });
  // every other driven endpoint: its breakdown and dominant cause (info)
  for (const finding of within) {
    lines.push(...hanging('- ', `${oneLine(finding.title)}${finding.breakdown ? `: ${breakdownLine(finding.breakdown)}` : ''}`));
    lines.push(...hanging('   -> ', oneLine(finding.recommendation)));
  }
  if (diagnosis && diagnosis.endpoints.length > 0) {
    lines.push('');
    lines.push(
      ...table(
        [
          { header: 'endpoint' },
          { header: 'req', align: 'right' },
          { header: 'p95 ms', align: 'right' },
          { header: 'db ms/req', align: 'right' },
          { header: 'q/req', align: 'right' },
          { header: 'redis/req', align: 'right' },
          { header: 'hit %', align: 'right' },
          { header: 'conf.' },
        ],
        diagnosis.endpoints.map((endpoint) => [
          oneLine(endpoint.name),
          String(endpoint.requests),
          ms(endpoint.latencyP95Ms),
          ms(endpoint.database?.msPerRequest),
          endpoint.database ? endpoint.database.queriesPerRequest.toFixed(2) : '-',
          endpoint.redis ? endpoint.redis.commandsPerRequest.toFixed(2) : '-',
          endpoint.redis?.hitRatioPercent != null ? endpoint.redis.hitRatioPercent.toFixed(0) : '-',
          endpoint.confidence,
        ]),
      ),
    );
    for (const endpoint of diagnosis.endpoints) {
      const line = scalingLine(endpoint);
      if (line) lines.push(...hanging('  ', line));
    }
    const background = diagnosis.background;
    lines.push(
      ...wrap(
        `Background (control window of ${(background.windowMs / 1000).toFixed(1)} s, no traffic of ours): ${background.dbCallsPerSecond} queries/s, ` +
          `${background.dbMsPerSecond} ms of database time/s, ${background.redisCommandsPerSecond} Redis commands/s.`,
        MAX_WIDTH,
      ),
    );
  }
  for (const entry of diagnosis?.control?.saturated ?? []) {
    lines.push(...wrap(`Background: ${oneLine(entry.subject)} saturated before any traffic (${entry.value} ${entry.unit}): not caused by these requests, never named as a cause.`, MAX_WIDTH));
  }
  for (const item of diagnosis?.notVisible ?? []) lines.push(...wrap(`Not visible: ${oneLine(item)}`, MAX_WIDTH));
  return lines;
}
