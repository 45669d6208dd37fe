/**
 * A Markdown summary for a pull request comment or $GITHUB_STEP_SUMMARY: the assessment, the
 * root causes of the diagnosis (when an endpoint was slow), the scores, the findings table and, with a baseline, the regressions and what changed. Pure;
 * every table cell is one line with | escaped, so GitHub renders the tables.
 */
import type { MetricChange } from '../contracts/baseline.js';
import type { Report } from '../contracts/report.js';
import type { Reporter } from '../contracts/reporter.js';
import { bySeverity, formatEvidence, formatValue, oneLine, rootCauses } from './format.js';

const SEVERITY_ICON = { critical: '🚨', warning: '⚠️', info: '💡' } as const;

/** One table cell: one line, pipes escaped, no raw HTML. */
export function cell(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function tableLines(headers: string[], rows: string[][]): string[] {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

const changeText = (change: MetricChange) => {
  if (change.change === null) return 'n/a';
  const sign = change.change > 0 ? '+' : '';
  const pct = change.changePercent === null ? '' : ` (${sign}${change.changePercent} %)`;
  return `${sign}${formatValue(change.change, change.unit)}${pct}`;
};

export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  const { summary, scores } = report;
  lines.push(`## perf-analyze: ${report.assessment} — health ${scores.health}/100${scores.performance !== undefined ? `, performance ${scores.performance}/100` : ''}`);
  if (report.assessmentReason) lines.push('', `_${oneLine(report.assessmentReason)}_`);
  lines.push('');
  lines.push(
    `${cell(report.target.host)} · ${cell(report.startedAt)} · ${summary.critical} critical, ${summary.warning} warning, ${summary.info} info` +
      `${report.interrupted ? ' · **interrupted: partial report**' : ''}`,
  );
  lines.push('');
  // the root causes lead, ordered by the time their fix would save (issue 8)
  const causes = rootCauses(report.findings);
  if (causes.length > 0) {
    lines.push('### Root causes', '');
    lines.push(
      ...tableLines(
        ['Severity', 'Root cause', 'Saves (estimate)', 'Recommendation'],
        causes.map((finding) => [
          `${SEVERITY_ICON[finding.severity]} ${finding.severity}`,
          finding.title,
          finding.estimatedSavingMsPerRequest === undefined ? '-' : `${formatValue(finding.estimatedSavingMsPerRequest, 'ms')} per request`,
          finding.recommendation,
        ]),
      ),
      '',
    );
  }
  lines.push('### Scores', '');
  lines.push(
    ...tableLines(
      ['Component', 'Score', 'Weight', 'Basis'],
      Object.entries(scores.components).map(([id, score]) => [
        id,
        score.score === null ? '-' : String(score.score),
        scores.weights[id as keyof typeof scores.weights] === undefined ? '-' : `${Math.round((scores.weights[id as keyof typeof scores.weights] ?? 0) * 100)} %`,
        score.basis,
      ]),
    ),
  );
  lines.push('', `### Findings (${report.findings.length})`, '');
  if (report.findings.length === 0) lines.push('No findings.');
  else
    lines.push(
      ...tableLines(
        ['Severity', 'Subject', 'Finding', 'Evidence', 'Recommendation'],
        bySeverity(report.findings).map((finding) => [
          `${SEVERITY_ICON[finding.severity]} ${finding.severity}`,
          finding.subject,
          finding.title,
          formatEvidence(finding),
          finding.recommendation,
        ]),
      ),
    );
  const baseline = report.baseline;
  if (baseline) {
    lines.push('', `### Regressions since ${cell(baseline.startedAt)} (${baseline.summary.regressions})`, '');
    lines.push(`Baseline: \`${cell(baseline.file)}\` (schema ${cell(baseline.schemaVersion)}); ${baseline.summary.compared} metrics compared, ${baseline.summary.improvements} improved, ${baseline.summary.unchanged} within noise.`, '');
    const regressions = baseline.metrics.filter((change) => change.verdict === 'regression');
    if (regressions.length === 0) lines.push('No regression beyond the noise.');
    else
      lines.push(
        ...tableLines(
          ['Metric', 'Baseline', 'Now', 'Change', 'Noise allowance'],
          regressions.map((change) => [change.metric, formatValue(change.old, change.unit), formatValue(change.new, change.unit), changeText(change), `${formatValue(change.noise, change.unit)}: ${change.basis}`]),
        ),
      );
    const { new: added, resolved, unchanged } = baseline.findings;
    lines.push('', `### Findings since the baseline: ${added.length} new, ${resolved.length} resolved, ${unchanged.length} unchanged`, '');
    const rows = [
      ...added.map((ref) => ['new', ref.severity, ref.subject, ref.title]),
      ...resolved.map((ref) => ['resolved', ref.severity, ref.subject, ref.title]),
      ...unchanged
        .filter((ref) => ref.previousSeverity !== undefined)
        .map((ref) => ['severity changed', `${ref.previousSeverity} → ${ref.severity}`, ref.subject, ref.title]),
    ];
    if (rows.length > 0) lines.push(...tableLines(['Change', 'Severity', 'Subject', 'Finding'], rows));
  }
  if (report.notMeasured.length > 0) {
    lines.push('', '### Not measured', '', ...report.notMeasured.map((line) => `- ${cell(line)}`));
  }
  return `${lines.join('\n')}\n`;
}

export const markdownReporter: Reporter = {
  format: 'md',
  filePrefix: 'performance_summary_',
  extension: '.md',
  render: (report) => renderMarkdown(report),
};
