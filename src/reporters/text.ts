/**
 * The plain-text executive summary: what a person reads first, in a terminal, a mail
 * from cron or a CI log. Never any ANSI: every string from the report goes through
 * `plain`/`oneLine`, and every line fits in MAX_WIDTH columns.
 */
import type { ComponentId, Finding, Severity } from '../contracts/finding.js';
import type { Report } from '../contracts/report.js';
import type { Reporter } from '../contracts/reporter.js';
import type { MountMetrics, SystemMetrics } from '../contracts/system.js';
import type { PgBouncerMetrics, PostgresMetrics, QueryPlansMetrics } from '../contracts/postgres.js';
import type { ApiMetrics } from '../contracts/api.js';
import {
  MAX_WIDTH,
  bySeverity,
  distinctRecommendations,
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
import { formatBytes } from '../shared/bytes.js';
import { cacheSection } from './text-cache.js';
import { loadSection } from './text-load.js';
import { dockerSection } from './text-docker.js';
import { rootCauseSection } from './text-diagnosis.js';
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
    rootCauseSection(report.metrics.diagnosis, report.findings),
    detailedFindingsSection(report, 'critical', 'CRITICAL ISSUES'),
    detailedFindingsSection(report, 'warning', 'WARNINGS'),
    infoSection(report),
    recommendationsSection(report),
    baselineSection(report),
    phasesSection(report),
    notMeasuredSection(report),
    report.metrics.system ? hostSection(report.metrics.system) : [],
    report.metrics.postgres || report.metrics.pgbouncer ? databaseSection(report.metrics.postgres, report.metrics.pgbouncer) : [],
    report.metrics.redis ? cacheSection(report.metrics.redis) : [],
    report.metrics.api ? apiSection(report.metrics.api) : [],
    report.metrics.load ? loadSection(report.metrics.load) : [],
    report.metrics.docker ? dockerSection(report.metrics.docker) : [],
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
    ['Overall assessment', report.assessmentReason ?? report.assessment],
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
  // a check that threw measured nothing either; it is a bug of ours, so it says where to send it
  const failedChecks = report.rules
    .filter((result) => result.outcome === 'error')
    .map((result) => `check ${result.ruleId} could not run (${result.reason ?? 'rule failed'}): a bug in perf-analyze, please report it`);
  const items = [...report.notMeasured, ...failedChecks];
  if (items.length === 0) return [...lines, 'Nothing: every configured component was measured.'];
  return [...lines, ...items.flatMap((item) => hanging('- ', oneLine(item)))];
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

/** The key PostgreSQL and PgBouncer numbers: per server, per database, per pool. */
function databaseSection(postgres: PostgresMetrics | undefined, pgbouncer: PgBouncerMetrics | undefined): string[] {
  const entries: Array<[string, string]> = [];
  for (const server of postgres?.servers ?? []) {
    const { connections, latency } = server;
    entries.push([
      `Server ${oneLine(server.server)}`,
      `PostgreSQL ${oneLine(server.version)}; ${formatMetric(connections.total)} of ${connections.maxConnections - connections.reserved} usable ` +
        `(${formatMetric(connections.utilisationPercent)}); SELECT 1 p50 ${formatNumber(latency.p50Ms)} ms, p99 ${formatNumber(latency.p99Ms)} ms (${latency.samples} samples)` +
        (server.checkpoints ? `; requested checkpoints ${formatMetric(server.checkpoints.requestedPercent)}` : ''),
    ]);
  }
  for (const database of postgres?.databases ?? []) {
    const label = `Database ${oneLine(database.name)}`;
    if (!database.reachable) {
      entries.push([label, `UNREACHABLE: ${oneLine(database.error ?? 'unknown error')}`]);
      continue;
    }
    const parts: string[] = [];
    if (database.stats) {
      parts.push(`${formatMetric(database.stats.transactionsPerSec)} (rollbacks ${formatMetric(database.stats.rollbackPercent)}, deadlocks ${formatMetric(database.stats.deadlocks)})`);
    }
    if (database.cacheHit) parts.push(`cache hit tables ${formatMetric(database.cacheHit.tablePercent)}, indexes ${formatMetric(database.cacheHit.indexPercent)}`);
    if (database.statements) {
      const top = database.statements.topByTotalTime[0];
      parts.push(
        `average query ${formatMetric(database.statements.averageMs)}, slow (> ${database.statements.slowMeanMs} ms) ${formatMetric(database.statements.slowCallsPerHour)}` +
          (top ? `; top by time: query ${oneLine(top.queryId)} ${formatNumber(top.sharePercent)} % (${oneLine(top.query).slice(0, 60)})` : ''),
      );
    } else {
      parts.push('pg_stat_statements not available');
    }
    if (database.activity) {
      parts.push(`${database.activity.idleInTransaction.length} idle in transaction, ${database.activity.blocked.length} blocked`);
    }
    if (database.notVisible.length > 0) parts.push(`${database.notVisible.length} checks not visible`);
    entries.push([label, parts.join('; ')]);
    if (database.queryPlans) entries.push([`Index advice ${oneLine(database.name)}`, indexAdviceLine(database.queryPlans)]);
  }
  if (pgbouncer) {
    if (!pgbouncer.reachable) entries.push(['PgBouncer', `UNREACHABLE: ${oneLine(pgbouncer.error ?? 'unknown error')}`]);
    else {
      const waiting = pgbouncer.pools.reduce((sum, pool) => sum + pool.clientsWaiting, 0);
      const worstWait = Math.max(0, ...pgbouncer.pools.map((pool) => pool.maxWaitSeconds));
      entries.push([
        'PgBouncer',
        `${oneLine(pgbouncer.version ?? '')}; ${pgbouncer.pools.length} pools, ${pgbouncer.totalClients} clients of max_client_conn ${pgbouncer.maxClientConn ?? '?'}, ` +
          `${waiting} waiting (longest ${formatNumber(worstWait)} s)`,
      ]);
    }
  }
  if (entries.length === 0) return [];
  return [...heading('DATABASE (PostgreSQL, PgBouncer)'), ...fields(entries)];
}

/** The plan step in one line: how many statements were planned, how the advice was checked, the indexes to add. */
function indexAdviceLine(plans: QueryPlansMetrics): string {
  const recommended = plans.advice.filter((advice) => advice.status !== 'rejected');
  const how = plans.hypopg ? 'verified with HypoPG (hypothetical indexes)' : 'HypoPG not installed: unverified, by pg_stats selectivity';
  const indexes = recommended.slice(0, 3).map((advice) => {
    const costs = advice.statements[0];
    return advice.status === 'verified' && costs ? `${oneLine(advice.createIndex)} (planner cost ${formatNumber(Math.round(costs.costBefore ?? 0))} -> ${formatNumber(Math.round(costs.costAfter ?? 0))})` : `${oneLine(advice.createIndex)} (unverified)`;
  });
  const more = recommended.length > 3 ? `; ${recommended.length - 3} more in the JSON report` : '';
  return `${plans.statements.length} top statements planned, ${how}; ${indexes.length === 0 ? 'no index to add' : indexes.join('; ')}${more}`;
}

const ms = (value: number | null) => (value === null ? 'n/a' : `${formatNumber(value)} ms`);

/** The API: one row per endpoint, then the login flow's key numbers. */
function apiSection(api: ApiMetrics): string[] {
  const title = `API (${oneLine(api.origin)})`;
  if (!api.reachable) return [...heading(title), `Unreachable: ${oneLine(api.unreachable?.message ?? 'no response')}`];
  const rows = api.endpoints.map((endpoint) => [
    `${endpoint.method} ${endpoint.path}`,
    endpoint.skipped === null ? String(endpoint.latency.samples) : '-',
    ms(endpoint.latency.p50Ms),
    ms(endpoint.latency.p95Ms),
    ms(endpoint.latency.p99Ms),
    ms(endpoint.latency.maxMs),
    endpoint.skipped === null ? `${formatNumber(endpoint.errorRatePercent)}%` : 'skipped',
  ]);
  const lines = [
    ...heading(title),
    ...table(
      [
        { header: 'endpoint' },
        { header: 'n', align: 'right' },
        { header: 'p50', align: 'right' },
        { header: 'p95', align: 'right' },
        { header: 'p99', align: 'right' },
        { header: 'max', align: 'right' },
        { header: 'errors', align: 'right' },
      ],
      rows,
    ),
  ];
  const login = api.login;
  if (login) {
    const entries: Array<[string, string]> = [
      ['Login', `${login.method} ${oneLine(login.path)}: p50 ${ms(login.latency.p50Ms)}, p95 ${ms(login.latency.p95Ms)} (${login.latency.samples} logins)`],
    ];
    if (login.authEndToEnd) entries.push(['Auth end to end', `p50 ${ms(login.authEndToEnd.p50Ms)}, p95 ${ms(login.authEndToEnd.p95Ms)}`]);
    entries.push([
      'Token',
      login.token
        ? `${login.token.format}${login.token.alg ? ` ${oneLine(login.token.alg)}` : ''}, ${login.token.sizeBytes} bytes, lifetime ${login.token.lifetimeSeconds === null ? 'none' : `${login.token.lifetimeSeconds} s`}`
        : `none (${oneLine(login.tokenProblem ?? 'no successful login')})`,
    ]);
    if (login.validationCost) entries.push(['Token check', `${ms(login.validationCost.costMs)} (vs ${oneLine(login.validationCost.unauthenticatedEndpoint)})`]);
    if (login.throughput.length > 0) {
      entries.push(['Logins/s', login.throughput.map((level) => `${level.concurrency}: ${formatNumber(level.loginsPerSecond)}`).join(', ') + ' (by concurrency)']);
    }
    if (login.bcrypt) {
      const cost = login.bcrypt.configuredCost ?? login.bcrypt.consistentCost;
      entries.push([
        'Password hashing',
        cost === null ? oneLine(login.bcrypt.basis) : `bcrypt cost ${cost}, ${login.bcrypt.hashSharePercent === null ? 'n/a' : `${Math.round(login.bcrypt.hashSharePercent)}%`} of the login`,
      ]);
    }
    lines.push('', ...fields(entries));
  }
  return lines;
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
