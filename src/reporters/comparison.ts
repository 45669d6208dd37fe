/**
 * A baseline comparison as plain text: used by `perf-analyze compare` and by the executive
 * summary's "Since the baseline" section. Pure.
 */
import type { BaselineComparison, MetricChange } from '../contracts/baseline.js';
import { formatValue, heading, table } from './format.js';

export function changeText(change: MetricChange): string {
  if (change.change === null) return 'n/a';
  const sign = change.change > 0 ? '+' : '';
  const pct = change.changePercent === null ? '' : ` (${sign}${change.changePercent} %)`;
  return `${sign}${formatValue(change.change, change.unit)}${pct}`;
}

function changeTable(changes: readonly MetricChange[], withBasis: boolean): string[] {
  return table(
    [
      { header: 'metric' },
      { header: 'baseline', align: 'right' },
      { header: 'now', align: 'right' },
      { header: 'change', align: 'right' },
      { header: withBasis ? 'noise allowance' : 'verdict' },
    ],
    changes.map((change) => [
      change.metric,
      formatValue(change.old, change.unit),
      formatValue(change.new, change.unit),
      changeText(change),
      withBasis ? `${formatValue(change.noise, change.unit)} (${change.basis})` : change.verdict,
    ]),
    160,
  );
}

/** Regressions, improvements and finding changes; with `all`, every metric compared. */
export function renderComparison(comparison: BaselineComparison, options: { all?: boolean } = {}): string[] {
  const lines: string[] = [];
  const regressions = comparison.metrics.filter((change) => change.verdict === 'regression');
  const improvements = comparison.metrics.filter((change) => change.verdict === 'improvement');
  const s = comparison.summary;
  lines.push(
    `${s.compared} metrics compared: ${s.regressions} regressed, ${s.improvements} improved, ${s.unchanged} within noise, ` +
      `${s.neutral} not judged (volume, size, counters); ${s.added} new, ${s.removed} gone, ${s.notComparable} not comparable.`,
  );
  lines.push('', ...heading(`Regressions (${regressions.length})`));
  lines.push(...(regressions.length > 0 ? changeTable(regressions, true) : ['None beyond the noise.']));
  if (improvements.length > 0) lines.push('', ...heading(`Improvements (${improvements.length})`), ...changeTable(improvements, true));
  const { new: added, resolved, unchanged } = comparison.findings;
  lines.push('', ...heading(`Findings: ${added.length} new, ${resolved.length} resolved, ${unchanged.length} unchanged`));
  const rows = [
    ...added.map((ref) => ['new', ref.severity, ref.subject, ref.title]),
    ...resolved.map((ref) => ['resolved', ref.severity, ref.subject, ref.title]),
    ...unchanged.map((ref) => ['unchanged', ref.previousSeverity ? `${ref.previousSeverity} -> ${ref.severity}` : ref.severity, ref.subject, ref.title]),
  ];
  if (rows.length > 0) lines.push(...table([{ header: 'change' }, { header: 'severity' }, { header: 'subject' }, { header: 'finding' }], rows, 160));
  if (options.all) {
    lines.push('', ...heading('Every metric'), ...changeTable(comparison.metrics, false));
  }
  return lines;
}
