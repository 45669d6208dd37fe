/**
 * The plain-text executive summary: what a person reads first, in a terminal, a mail
 * from cron or a CI log. Never any ANSI: every string from the report goes through
 * `plain`/`oneLine`, and every line fits in MAX_WIDTH columns.
 */
import type { ComponentId, Finding, Severity } from '../contracts/finding.js';
import type { Report } from '../contracts/report.js';
import type { Reporter } from '../contracts/reporter.js';
import type { MountMetrics, SystemMetrics } from '../contracts/system.js';
import {
  MAX_WIDTH,
  bySeverity,
  distinctRecommendations,
  formatBytes,
  formatDuration,
  formatEvidence,
  formatMetric,
  formatNumber,
  formatShare,
  hanging,
  heading,
  oneLine,
  table,
  truncate,
  wrap,
  formatValue,
} from './format.js';
import { changeText } from './comparison.js';

/** At most this many recommendations in "Top recommendations"; the JSON report has them all. */
export const TOP_RECOMMENDATIONS = 5;

const COMPONENT_ORDER: readonly ComponentId[] = ['database', 'system', 'cache', 'api'];

export const textReporter: Reporter = {
  format: 'text',
  filePrefix: 'performance_executive_summary_',
  extension: '.txt',
  render(report) {
    return `${renderExecutiveSummary(report).join('\n')}\n`;
  },
};

export function renderExecutiveSummary(report: Report): string[] {
  const sections: string[][] = [
    headerSection(report),
    assessmentSection(report),
    detailedFindingsSection(report, 'critical', 'CRITICAL ISSUES'),
    detailedFindingsSection(report, 'warning', 'WARNINGS'),
    infoSection(report),
    recommendationsSection(report),
    baselineSection(report),
    phasesSection(report),
    notMeasuredSection(report),
    report.metrics.system ? hostSection(report.metrics.system) : [],
    profilerSection(report),
  ];
  const lines = sections.filter((section) => section.length > 0).flatMap((section) => [...section, '']);
  lines.pop();
  // a last guard: whatever a section did, no line leaves wider than the contract allows
  return lines.map((line) => truncate(line, MAX_WIDTH));
}

/** "Label        value" lines, values wrapped under themselves. */
function fields(entries: Array<[string, string]>): string[] {
  const labelWidth = Math.max(...entries.map(([label]) => label.length)) + 2;
  return entries.flatMap(([label, value]) => hanging(label.padEnd(labelWidth), value));
}

function headerSection(report: Report): string[] {
  const title = report.interrupted ? 'PERFORMANCE ANALYSIS - EXECUTIVE SUMMARY (PARTIAL)' : 'PERFORMANCE ANALYSIS - EXECUTIVE SUMMARY';
  const env = report.environment;
  const lines = [
    title,
    '='.repeat(title.length),
    ...fields([
      ['Tool', `${oneLine(report.tool.name)} ${oneLine(report.tool.version)} (report schema ${oneLine(report.schemaVersion)})`],
      [
        'Host',
        `${oneLine(env.hostname)} (${oneLine(env.platform)} ${oneLine(env.arch)}, ${env.cpus} CPUs, ` +
          `${formatBytes(env.totalMemoryBytes)} memory, Node ${oneLine(env.node)})`,
      ],
      ['Target', oneLine(report.target.host)],
      ['Started', oneLine(report.startedAt)],
      ['Finished', oneLine(report.finishedAt)],
      ['Duration', formatDuration(report.durationMs)],
    ]),
  ];
  if (report.interrupted) {
    lines.push(
      '',
      ...wrap(
        '*** INTERRUPTED: the run was stopped before it finished. This is a partial report: ' +
          'phases that did not complete are marked in the phase table, and the scores cover only what was measured. ***',
        MAX_WIDTH,
      ),
    );
  }
  return lines;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function assessmentSection(report: Report): string[] {
  const { scores, summary } = report;
  const entries: Array<[string, string]> = [
    ['Overall assessment', report.assessment],
    ['Health score', `${Math.round(scores.health)}/100`],
  ];
  if (scores.performance !== undefined) entries.push(['Performance score', `${Math.round(scores.performance)}/100`]);
  entries.push([
    'Findings',
    `${summary.critical} critical, ${plural(summary.warning, 'warning', 'warnings')}, ${summary.info} info; ` +
      plural(summary.recommendations, 'recommendation', 'recommendations'),
  ]);

  const componentRows = COMPONENT_ORDER.map((id) => {
    const component = scores.components[id];
    const nominal = id === 'api' ? undefined : scores.nominalWeights[id];
    return [
      id,
      component.score === null ? '-' : String(Math.round(component.score)),
      formatShare(scores.weights[id]),
      formatShare(nominal),
      component.basis,
    ];
  });

  return [
    ...heading('ASSESSMENT'),
    ...fields(entries),
    '',
    'Component scores (weight: share of the health score used; nominal: before rescaling)',
    ...table(
      [
        { header: 'component' },
        { header: 'score', align: 'right' },
        { header: 'weight', align: 'right' },
        { header: 'nominal', align: 'right' },
        { header: 'basis' },
      ],
      componentRows,
    ),
  ].flatMap((line) => (line.length > MAX_WIDTH ? wrap(line, MAX_WIDTH) : [line]));
}

function findingsOf(report: Report, severity: Severity): Finding[] {
  return bySeverity(report.findings).filter((finding) => finding.severity === severity);
}

/** Critical issues and warnings: each with its message, evidence and recommendation. */
function detailedFindingsSection(report: Report, severity: Severity, title: string): string[] {
  const findings = findingsOf(report, severity);
  if (findings.length === 0) return [...heading(`${title} (0)`), 'None.'];
  const lines = heading(`${title} (${findings.length})`);
  findings.forEach((finding, index) => {
    if (index > 0) lines.push('');
    const number = `${index + 1}. `;
    const indent = ' '.repeat(number.length);
    lines.push(...hanging(number, `${oneLine(finding.title)} [${oneLine(finding.subject)}] (${oneLine(finding.ruleId)})`));
    lines.push(...wrap(finding.message, MAX_WIDTH - indent.length).map((line) => `${indent}${line}`.trimEnd()));
    lines.push(...hanging(`${indent}Evidence: `, formatEvidence(finding)));
    lines.push(...hanging(`${indent}Recommendation: `, oneLine(finding.recommendation) || '-'));
  });
  return lines;
}

/** Info findings: one line each. */
function infoSection(report: Report): string[] {
  const findings = findingsOf(report, 'info');
  if (findings.length === 0) return [];
  return [
    ...heading(`INFO (${findings.length})`),
    ...findings.map((finding) =>
      truncate(`- ${oneLine(finding.title)} [${oneLine(finding.subject)}]: ${oneLine(finding.message)}`, MAX_WIDTH),
    ),
  ];
}

function recommendationsSection(report: Report): string[] {
  const recommendations = distinctRecommendations(report.findings);
  if (recommendations.length === 0) return [...heading('TOP RECOMMENDATIONS'), 'None: no finding asked for action.'];
  const shown = recommendations.slice(0, TOP_RECOMMENDATIONS);
  const lines = heading('TOP RECOMMENDATIONS');
  shown.forEach((recommendation, index) => {
    const fromSeveral = recommendation.findings > 1 ? ` (${recommendation.findings} findings)` : '';
    const label = `${index + 1}. ${`[${recommendation.severity}]`.padEnd('[critical]'.length)} `;
    lines.push(...hanging(label, `${recommendation.text}${fromSeveral}`));
  });
  const hidden = recommendations.length - shown.length;
  if (hidden > 0) lines.push(`... and ${hidden} more in the JSON report.`);
  return lines;
}

function phasesSection(report: Report): string[] {
  const rows = report.phases.map((phase) => [
    phase.id,
    phase.status,
    formatDuration(phase.durationMs),
    formatDuration(phase.cost.cpuUserMs + phase.cost.cpuSystemMs),
    phase.reason ?? '-',
  ]);
  return [
    ...heading('PHASES'),
    ...table(
      [
        { header: 'phase' },
        { header: 'status' },
        { header: 'duration', align: 'right' },
        { header: 'own cpu', align: 'right' },
        { header: 'reason' },
      ],
      rows,
    ),
  ];
}

function notMeasuredSection(report: Report): string[] {
  const lines = heading('NOT MEASURED');
  if (report.notMeasured.length === 0) return [...lines, 'Nothing: every configured component was measured.'];
  return [...lines, ...report.notMeasured.flatMap((item) => hanging('- ', oneLine(item)))];
}

/** The mount closest to full; ties and unknown values keep the collector's order. */
function worstMount(mounts: readonly MountMetrics[]): MountMetrics | undefined {
  let worst: MountMetrics | undefined;
  for (const mount of mounts) {
    const used = mount.usedPercent.value ?? -1;
    if (worst === undefined || used > (worst.usedPercent.value ?? -1)) worst = mount;
  }
  return worst;
}

function hostSection(system: SystemMetrics): string[] {
  const { cpu, load, memory } = system;
  const disk = worstMount(system.mounts);
  const diskLine = disk
    ? `${oneLine(disk.mount)} ${formatMetric(disk.usedPercent)} used of ${formatMetric(disk.sizeBytes)} ` +
      `(${oneLine(disk.device)}, ${oneLine(disk.fsType)}), inodes ${formatMetric(disk.inodesUsedPercent)} used`
    : 'no filesystem was read';
  const swapRate = `${formatMetric(memory.swapInPagesPerSec)} in, ${formatMetric(memory.swapOutPagesPerSec)} out`;
  const loadPerCore = [load.load1PerCore, load.load5PerCore, load.load15PerCore]
    .map((metric) => (metric.value === null ? 'n/a' : formatNumber(metric.value)))
    .join(' / ');
  return [
    ...heading(`HOST (${oneLine(system.hostname)}, kernel ${oneLine(system.kernel)}, window ${formatDuration(system.windowMs)})`),
    ...fields([
      [
        'CPU',
        `${formatMetric(cpu.totalPercent)} busy over ${plural(cpu.cores, 'core', 'cores')} (user ${formatMetric(cpu.userPercent)}, ` +
          `system ${formatMetric(cpu.systemPercent)}, iowait ${formatMetric(cpu.iowaitPercent)}, steal ${formatMetric(cpu.stealPercent)})`,
      ],
      ['Load/core', `${loadPerCore} (1 / 5 / 15 min)`],
      [
        'Memory',
        `${formatMetric(memory.usedPercent)} used: ${formatMetric(memory.usedBytes)} of ${formatMetric(memory.totalBytes)}, ` +
          `${formatMetric(memory.availableBytes)} available`,
      ],
      ['Worst disk', diskLine],
      ['Swap', `${formatMetric(memory.swapUsedBytes)} used of ${formatMetric(memory.swapTotalBytes)}; ${swapRate}`],
    ]),
  ];
}

function profilerSection(report: Report): string[] {
  const cost = report.profiler;
  return [
    ...heading("PROFILER'S OWN COST"),
    `wall ${formatDuration(cost.wallMs)}, CPU ${formatDuration(cost.cpuUserMs)} user + ${formatDuration(cost.cpuSystemMs)} system, ` +
      `peak RSS ${formatBytes(cost.peakRssBytes)}`,
  ];
}

/** Since the baseline (--baseline): regressions with their numbers, and how the findings moved. */
function baselineSection(report: Report): string[] {
  const baseline = report.baseline;
  if (!baseline) return [];
  const regressions = baseline.metrics.filter((change) => change.verdict === 'regression');
  const { new: added, resolved, unchanged } = baseline.findings;
  return [
    ...heading('SINCE THE BASELINE'),
    ...wrap(`Compared with ${oneLine(baseline.file)} (${oneLine(baseline.startedAt)}): ${baseline.summary.regressions} regressed, ${baseline.summary.improvements} improved, ${baseline.summary.unchanged} within noise; findings ${added.length} new, ${resolved.length} resolved, ${unchanged.length} unchanged.`, MAX_WIDTH),
    ...regressions.flatMap((change) => hanging('  - ', `${change.metric}: ${formatValue(change.old, change.unit)} -> ${formatValue(change.new, change.unit)} (${changeText(change)}; noise allowance ${formatValue(change.noise, change.unit)})`)),
    ...added.flatMap((ref) => hanging('  new: ', `[${ref.severity}] ${oneLine(ref.subject)}: ${oneLine(ref.title)}`)),
    ...resolved.flatMap((ref) => hanging('  resolved: ', `[${ref.severity}] ${oneLine(ref.subject)}: ${oneLine(ref.title)}`)),
  ];
}
