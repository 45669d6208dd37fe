/**
 * The root causes of the text summary (issue 8): the diagnosis findings first, ranked as the rule
 * ranks them (time per request explained), then per endpoint what its own traffic caused.
 */
import type { DiagnosisMetrics } from '../contracts/diagnosis.js';
import type { Finding } from '../contracts/finding.js';
import { MAX_WIDTH, hanging, heading, oneLine, table, wrap } from './format.js';

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1));

export function rootCauseSection(diagnosis: DiagnosisMetrics | undefined, findings: readonly Finding[]): string[] {
  const causes = findings.filter((finding) => finding.ruleId === 'diagnosis-root-cause' && finding.severity !== 'info');
  if (!diagnosis && causes.length === 0) return [];
  const lines = heading('ROOT CAUSES (each endpoint driven alone; database and cache deltas of its window)');
  if (causes.length === 0) lines.push('No slow endpoint: no root cause to report.');
  causes.forEach((finding, index) => {
    lines.push(...hanging(`${index + 1}. `, `[${finding.severity.toUpperCase()}] ${oneLine(finding.message)}`));
    lines.push(...hanging('   -> ', oneLine(finding.recommendation)));
  });
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
    const background = diagnosis.background;
    lines.push(
      ...wrap(
        `Background (control window of ${(background.windowMs / 1000).toFixed(1)} s, no traffic of ours): ${background.dbCallsPerSecond} queries/s, ` +
          `${background.dbMsPerSecond} ms of database time/s, ${background.redisCommandsPerSecond} Redis commands/s.`,
        MAX_WIDTH,
      ),
    );
  }
  for (const item of diagnosis?.notVisible ?? []) lines.push(...wrap(`Not visible: ${oneLine(item)}`, MAX_WIDTH));
  return lines;
}
