import path from 'node:path';
import type { Artifacts, PhaseId, PhaseRecord, PrerequisiteCheck } from './contracts/artifact.js';
import type { Finding } from './contracts/finding.js';
import { SEVERITY_RANK } from './contracts/finding.js';
import type { Report, Scores } from './contracts/report.js';
import { REPORT_SCHEMA_VERSION } from './contracts/report.js';
import type { RuleResult } from './contracts/rule.js';
import { UsageError } from './contracts/errors.js';
import type { Config } from './config/schema.js';
import type { Ports } from './ports/index.js';
import { COLLECTORS } from './collectors/index.js';
import type { CollectorProgress } from './contracts/collector.js';
import type { Collector, CollectorContext } from './collectors/collector.js';
import type { ComponentId } from './contracts/finding.js';
import { evaluateRules } from './rules/index.js';
import { mergeThresholds } from './rules/thresholds.js';
import type { Thresholds } from './contracts/thresholds.js';
import { computeScores } from './scoring/index.js';
import { assess, assessmentReason } from './scoring/assessment.js';
import { REPORTERS, reportFileName } from './reporters/index.js';
import { round3, runPhase, type PhaseOutcome } from './pipeline/phase-runner.js';
import { errorMessage } from './shared/errors.js';
import { nodeVersionCheck, timedCheck } from './pipeline/prerequisites.js';
import { compareWithBaseline, loadBaseline, maintainOutputDir } from './pipeline/baseline.js';
import type { BaselineComparison } from './contracts/baseline.js';
import { DeadlineError, InterruptedError, withDeadline } from './pipeline/deadline.js';
import { collectorDeadlineMs, OUTPUT_CHECK_DEADLINE_MS, probeDeadlineMs, REPORT_WRITE_DEADLINE_MS } from './pipeline/deadlines.js';

export type { Ports } from './ports/index.js';

/** The report could not be written (disk full, directory gone, hung mount): the CLI exits 2 and nothing was written. */
export class OutputError extends UsageError {
  override name = 'OutputError';
}

export type ProgressEvent =
  | { type: 'phase-start'; id: PhaseId }
  | { type: 'phase-end'; record: PhaseRecord }
  | { type: 'collector-progress'; progress: CollectorProgress };

export interface RunOptions {
  config: Config;
  /** where the configuration came from, for the prerequisites record */
  configSource: string;
  tool: { name: string; version: string };
  /** aborts on Ctrl-C: the run stops waiting, skips the remaining collection and still writes its report */
  signal: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface RunOutcome {
  report: Report;
  /** files written, by format */
  files: Record<string, string>;
  /** problems after the report was written (latest pointer, --keep), for the CLI to print */
  warnings?: string[];
}

const COLLECTION_PHASES = ['system', 'docker', 'database', 'api'] as const;

/**
 * Runs the seven phases in order and writes the report files. Never prints and never
 * exits: progress goes to `onProgress`, the exit code is the CLI's decision.
 * Throws UsageError only before any work, when the output directory cannot be written.
 */
export async function runAnalysis(options: RunOptions, ports: Ports): Promise<RunOutcome> {
  const { config, signal } = options;
  const startedAt = ports.clock.now();
  const startedMs = ports.clock.monotonicMs();
  const cpuAtStart = ports.process.cpuUsage();
  const thresholds = mergeThresholds(config.thresholds);

  const outputCheck = await checkOutputDir(config, ports, signal);
  // the baseline is read before any work too: a --baseline file that is not a report is a usage error
  const baselineLoad = await loadBaseline(config, ports, reportFileName({ filePrefix: '', extension: '' }, startedAt));

  const components = targetComponents(config);
  const configured = Object.fromEntries(
    Object.entries(components).map(([id, component]) => [id, component.configured]),
  ) as Record<ComponentId, boolean>;
  const phases: PhaseRecord[] = [];
  const artifacts: Artifacts = {};
  const phase = phaseRunner(options, ports, phases);

  await phase('prerequisites', () => checkPrerequisites(options, ports, outputCheck, artifacts));
  for (const id of COLLECTION_PHASES) await runCollectionPhase(id, options, ports, artifacts, phase);
  const insights = await runInsights(artifacts, thresholds, configured, phase);
  const judged = judgeAgainstBaseline(baselineLoad, insights, artifacts, startedAt, config);
  const notMeasured = [...notMeasuredOf(phases, artifacts), ...baselineLoad.notes];

  options.onProgress?.({ type: 'phase-start', id: 'report' });
  const { report, reportRecord } = assembleReport({
    options,
    ports,
    startedAt,
    startedMs,
    cpuAtStart,
    components,
    phases,
    artifacts,
    findings: judged.findings,
    ruleResults: judged.ruleResults,
    scores: insights.scores,
    notMeasured,
    baselineComparison: judged.comparison,
  });
  const files = await writeReportFiles(report, config, ports, startedAt);
  const warnings = await maintainOutputDir(config, ports, files);
  options.onProgress?.({ type: 'phase-end', record: reportRecord });
  return { report, files, warnings };
}

type PhaseStep = (id: PhaseId, work: () => Promise<PhaseOutcome>, always?: boolean) => Promise<PhaseRecord>;

/**
 * Runs one phase with its progress events and appends its record to `phases`. After Ctrl-C a
 * phase is recorded as skipped, unless `always` (insights), so the partial report still says what was seen.
 */
function phaseRunner(options: RunOptions, ports: Ports, phases: PhaseRecord[]): PhaseStep {
  return async (id, work, always = false) => {
    options.onProgress?.({ type: 'phase-start', id });
    const record = options.signal.aborted && !always
      ? await runPhase(id, async () => ({ status: 'skipped', reason: 'interrupted' }), ports)
      : await runPhase(id, work, ports);
    phases.push(record);
    options.onProgress?.({ type: 'phase-end', record });
    return record;
  };
}

/** Checked before any work: a run that cannot write its report must not spend minutes measuring. */
async function checkOutputDir(config: Config, ports: Ports, signal: AbortSignal): Promise<PrerequisiteCheck> {
  const outputCheck = await timedCheck('output-directory', ports.clock, async () => {
    await withDeadline(() => ports.files.ensureWritableDir(config.outputDir), {
      what: `the file system of ${path.resolve(config.outputDir)}`,
      deadlineMs: OUTPUT_CHECK_DEADLINE_MS,
      signal,
      graceMs: 0,
    });
    return `${path.resolve(config.outputDir)} is writable`;
  });
  if (!outputCheck.ok) {
    throw new UsageError(
      `cannot write reports to ${path.resolve(config.outputDir)}: ${outputCheck.detail}. ` +
        'Choose another directory with --output-dir (or outputDir in the config file).',
    );
  }
  return outputCheck;
}

/** The prerequisites phase: Node's version, the configuration, the output directory and each configured collector's probe. */
async function checkPrerequisites(options: RunOptions, ports: Ports, outputCheck: PrerequisiteCheck, artifacts: Artifacts): Promise<PhaseOutcome> {
  const { config, signal } = options;
  const checks: PrerequisiteCheck[] = [
    nodeVersionCheck(ports.process.environment().node, 0),
    { id: 'configuration', ok: true, durationMs: 0, detail: `valid (${options.configSource})` },
    outputCheck,
  ];
  for (const collector of COLLECTORS) {
    if (!collector.probe || !collector.configured(config)) continue;
    const probe = collector.probe;
    checks.push(
      await timedCheck(`${collector.id}-reachable`, ports.clock, async () => {
        const what = `${collector.label}${collector.describeTarget ? ` (${collector.describeTarget(config)})` : ''}`;
        const outcome = await withDeadline((probeSignal) => probe({ config, ports, signal: probeSignal }), { what, deadlineMs: probeDeadlineMs(collector.id, config), signal, graceMs: 0 });
        return outcome.value;
      }),
    );
  }
  artifacts.prerequisites = { status: 'ok', durationMs: 0, data: { checks } };
  const failed = checks.filter((check) => !check.ok);
  return failed.length === 0
    ? { status: 'ok' }
    : { status: 'partial', reason: failed.map((check) => `${check.id}: ${check.detail}`).join('; ') };
}

/** One collection phase: its configured collectors together, then its exclusive ones one at a time. */
async function runCollectionPhase(id: (typeof COLLECTION_PHASES)[number], options: RunOptions, ports: Ports, artifacts: Artifacts, phase: PhaseStep): Promise<void> {
  const { config, signal } = options;
  const registered = COLLECTORS.filter((collector) => collector.phase === id);
  const configured = registered.filter((collector) => collector.configured(config));
  await phase(id, async () => {
    if (configured.length === 0) {
      const reasons = registered.flatMap((collector) => (collector.skipReason ? [collector.skipReason(config)] : []));
      return { status: 'skipped', reason: reasons.length > 0 ? reasons.join('; ') : 'not configured' };
    }
    const onProgress = options.onProgress;
    const context: CollectorContext = {
      config,
      ports,
      signal,
      ...(onProgress ? { onProgress: (progress: CollectorProgress) => onProgress({ type: 'collector-progress', progress }) } : {}),
    };
    const together = configured.filter((collector) => !collector.exclusive);
    const results = await Promise.all(together.map((collector) => runCollector(collector, context, artifacts)));
    for (const collector of configured.filter((candidate) => candidate.exclusive)) {
      if (signal.aborted) break;
      results.push(await runCollector(collector, context, artifacts));
    }
    return phaseOutcome(results);
  });
  if (signal.aborted) {
    for (const collector of configured) {
      artifacts[collector.id] ??= { status: 'skipped', durationMs: 0, error: 'interrupted before it ran' };
    }
  }
}

interface Insights {
  findings: Finding[];
  ruleResults: RuleResult[];
  scores: Scores;
}

/** The insights phase: the rules, then the scores. It runs even after Ctrl-C. */
async function runInsights(artifacts: Artifacts, thresholds: Thresholds, configured: Record<ComponentId, boolean>, phase: PhaseStep): Promise<Insights> {
  let findings: Finding[] = [];
  let ruleResults: RuleResult[] = [];
  let scores: Scores | undefined;
  await phase(
    'insights',
    async () => {
      const evaluated = evaluateRules(artifacts, thresholds);
      findings = evaluated.findings;
      ruleResults = evaluated.results;
      scores = computeScores({ artifacts, findings, thresholds, configured });
      return { status: 'ok' };
    },
    true,
  );
  // if rule evaluation itself failed, the scores still come from the artifacts alone
  scores ??= computeScores({ artifacts, findings, thresholds, configured });
  return { findings, ruleResults, scores };
}

/**
 * Regressions are judged against the baseline after scoring: they say what changed, not how
 * healthy the stack is. Without a baseline the findings and rule results are returned as they are.
 */
function judgeAgainstBaseline(
  baselineLoad: Awaited<ReturnType<typeof loadBaseline>>,
  insights: Insights,
  artifacts: Artifacts,
  startedAt: Date,
  config: Config,
): { findings: Finding[]; ruleResults: RuleResult[]; comparison?: BaselineComparison } {
  if (!baselineLoad.baseline) return { findings: insights.findings, ruleResults: insights.ruleResults };
  const compared = compareWithBaseline(baselineLoad.baseline, { schemaVersion: REPORT_SCHEMA_VERSION, startedAt: startedAt.toISOString(), metrics: metricsOf(artifacts), findings: insights.findings }, config);
  return {
    findings: [...insights.findings, ...compared.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]),
    ruleResults: [...insights.ruleResults, { ruleId: 'baseline-regression', outcome: compared.findings.length > 0 ? 'failed' : 'passed', findings: compared.findings.length }],
    comparison: compared.comparison,
  };
}

/** The report's notMeasured: phases that did not finish ok, and what the system and PostgreSQL collectors could not see. */
function notMeasuredOf(phases: readonly PhaseRecord[], artifacts: Artifacts): string[] {
  const notMeasured = phases
    .filter((record) => record.status !== 'ok' && record.id !== 'report')
    .map((record) => `${record.id}: ${record.status}${record.reason ? ` (${record.reason})` : ''}`);
  for (const note of artifacts.system?.data?.notes ?? []) notMeasured.push(`system: ${note}`);
  for (const server of artifacts.postgres?.data?.servers ?? []) {
    for (const item of server.notVisible) notMeasured.push(`postgres ${server.server}: ${item.check}: ${item.reason}`);
  }
  for (const database of artifacts.postgres?.data?.databases ?? []) {
    for (const item of database.notVisible) notMeasured.push(`postgres ${database.name}: ${item.check}: ${item.reason}`);
  }
  return notMeasured;
}

interface ReportParts {
  options: RunOptions;
  ports: Ports;
  startedAt: Date;
  startedMs: number;
  cpuAtStart: { userMs: number; systemMs: number };
  components: Report['target']['components'];
  phases: PhaseRecord[];
  artifacts: Artifacts;
  findings: Finding[];
  ruleResults: RuleResult[];
  scores: Scores;
  notMeasured: string[];
  baselineComparison: BaselineComparison | undefined;
}

/**
 * The report phase: the report assembled, with the report phase's own record (appended to
 * `phases`) and the profiler's cost of the whole run. Writing the files follows it.
 */
function assembleReport(parts: ReportParts): { report: Report; reportRecord: PhaseRecord } {
  const { options, ports, startedAt, startedMs, cpuAtStart, phases, findings, scores } = parts;
  const environment = ports.process.environment();
  const reportStartedMs = ports.clock.monotonicMs();
  const cpuBeforeReport = ports.process.cpuUsage();
  const finishedAt = ports.clock.now();
  const summary = {
    critical: findings.filter((finding) => finding.severity === 'critical').length,
    warning: findings.filter((finding) => finding.severity === 'warning').length,
    info: findings.filter((finding) => finding.severity === 'info').length,
    recommendations: new Set(findings.map((finding) => finding.recommendation)).size,
  };
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: options.tool,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: round3(reportStartedMs - startedMs),
    interrupted: options.signal.aborted,
    environment,
    target: {
      host: environment.hostname,
      components: parts.components,
    },
    phases,
    metrics: metricsOf(parts.artifacts),
    findings,
    rules: parts.ruleResults,
    scores,
    assessment: assess(scores.health, scores.performance, findings),
    assessmentReason: assessmentReason(scores.health, scores.performance, findings),
    summary,
    notMeasured: parts.notMeasured,
    profiler: { wallMs: 0, cpuUserMs: 0, cpuSystemMs: 0, peakRssBytes: 0 },
    ...(parts.baselineComparison ? { baseline: parts.baselineComparison } : {}),
  };

  // The report phase's own record covers assembling the report; writing the files follows it.
  const cpuNow = ports.process.cpuUsage();
  const reportRecord: PhaseRecord = {
    id: 'report',
    status: 'ok',
    durationMs: round3(ports.clock.monotonicMs() - reportStartedMs),
    cost: {
      cpuUserMs: round3(cpuNow.userMs - cpuBeforeReport.userMs),
      cpuSystemMs: round3(cpuNow.systemMs - cpuBeforeReport.systemMs),
      rssBytes: ports.process.rssBytes(),
    },
  };
  phases.push(reportRecord);
  report.profiler = {
    wallMs: round3(ports.clock.monotonicMs() - startedMs),
    cpuUserMs: round3(cpuNow.userMs - cpuAtStart.userMs),
    cpuSystemMs: round3(cpuNow.systemMs - cpuAtStart.systemMs),
    peakRssBytes: ports.process.peakRssBytes(),
  };
  return { report, reportRecord };
}

/** Renders every configured format and writes them all or none; returns the files by format. */
async function writeReportFiles(report: Report, config: Config, ports: Ports, startedAt: Date): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const format of config.formats) {
    const reporter = REPORTERS[format];
    if (reporter) files[format] = path.join(config.outputDir, reportFileName(reporter, startedAt));
  }
  const chartLibrary = config.formats.includes('html') && ports.chartLibrary ? await ports.chartLibrary() : undefined;
  const rendered: Array<{ path: string; content: string }> = [];
  for (const format of config.formats) {
    const reporter = REPORTERS[format];
    const filePath = files[format];
    if (!reporter || !filePath) continue;
    rendered.push({ path: filePath, content: reporter.render(report, { color: false, files: { json: files.json, text: files.text }, failOn: config.failOn, ...(chartLibrary ? { chartLibrary } : {}) }) });
  }
  // all files or none: a full disk leaves no half report and the previous latest.json untouched
  try {
    await withDeadline(() => ports.files.writeAllAtomic(rendered), {
      what: `writing the report files to ${path.resolve(config.outputDir)}`,
      deadlineMs: REPORT_WRITE_DEADLINE_MS,
      graceMs: 0,
    });
  } catch (error) {
    throw new OutputError(`cannot write the report to ${path.resolve(config.outputDir)}: ${errorMessage(error)}. Nothing was written; free space or choose another --output-dir.`);
  }
  return files;
}

/** True when any finding is at or above the --fail-on level ("none" never fails). */
export function hasFindingsAtOrAbove(findings: readonly Finding[], failOn: Config['failOn']): boolean {
  if (failOn === 'none') return false;
  return findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]);
}

/** Runs one collector into its artifact; returns a one-line outcome for the phase record. */
async function runCollector(collector: Collector, context: CollectorContext, artifacts: Artifacts): Promise<{ status: 'ok' | 'partial' | 'error'; reason?: string }> {
  const started = context.ports.clock.monotonicMs();
  const durationMs = () => round3(context.ports.clock.monotonicMs() - started);
  const target = collector.describeTarget?.(context.config);
  try {
    // the collector's own signal aborts at its deadline or on Ctrl-C; a collector that then does not return within the grace period is left behind
    const { value: result, cutShort } = await withDeadline((signal) => collector.collect({ ...context, signal }), {
      what: `${collector.label}${target ? ` (${target})` : ''}`,
      deadlineMs: collectorDeadlineMs(collector.id, context.config),
      signal: context.signal,
    });
    if (result.failed !== undefined) {
      (artifacts as Record<string, unknown>)[collector.id] = { status: 'error', durationMs: durationMs(), data: result.data, error: result.failed };
      return { status: 'error', reason: `${collector.label}: ${result.failed}` };
    }
    const partial = result.partial ?? (cutShort instanceof DeadlineError ? cutShort.message : undefined);
    const status = partial ? 'partial' : 'ok';
    (artifacts as Record<string, unknown>)[collector.id] = { status, durationMs: durationMs(), data: result.data };
    return partial ? { status, reason: `${collector.label}: ${partial}` } : { status };
  } catch (error) {
    if (error instanceof InterruptedError) {
      (artifacts as Record<string, unknown>)[collector.id] = { status: 'error', durationMs: durationMs(), error: 'interrupted: it did not stop in time to keep what it had' };
      return { status: 'error', reason: `${collector.label}: interrupted` };
    }
    const message = errorMessage(error);
    (artifacts as Record<string, unknown>)[collector.id] = { status: 'error', durationMs: durationMs(), error: message };
    return { status: 'error', reason: `${collector.label}: ${message}` };
  }
}

/** A phase is ok when every collector is, error when every one failed, partial otherwise. */
function phaseOutcome(results: ReadonlyArray<{ status: 'ok' | 'partial' | 'error'; reason?: string }>): PhaseOutcome {
  const reasons = results.flatMap((result) => (result.reason ? [result.reason] : []));
  const reason = reasons.length > 0 ? { reason: reasons.join('; ') } : {};
  if (results.every((result) => result.status === 'ok')) return { status: 'ok' };
  if (results.every((result) => result.status === 'error')) return { status: 'error', ...reason };
  return { status: 'partial', ...reason };
}

function metricsOf(artifacts: Artifacts): Report['metrics'] {
  const metrics: Record<string, unknown> = {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact?.data !== undefined) metrics[id] = artifact.data;
  }
  return metrics as Report['metrics'];
}

/** Which components the user configured, with each target described (secrets redacted by the collector). */
function targetComponents(config: Config): Report['target']['components'] {
  const components: Report['target']['components'] = {
    system: { configured: false },
    database: { configured: false },
    cache: { configured: false },
    api: { configured: false },
  };
  for (const collector of COLLECTORS) {
    if (!collector.configured(config)) continue;
    const entry = components[collector.component as ComponentId];
    entry.configured = true;
    const url = collector.describeTarget?.(config);
    if (url !== undefined) entry.url = url;
  }
  return components;
}
