import path from 'node:path';
import type { Artifacts, PhaseId, PhaseRecord, PrerequisiteCheck } from './contracts/artifact.js';
import type { Finding } from './contracts/finding.js';
import { SEVERITY_RANK } from './contracts/finding.js';
import type { Report, Scores } from './contracts/report.js';
import { REPORT_SCHEMA_VERSION } from './contracts/report.js';
import type { RuleResult } from './contracts/rule.js';
import { UsageError } from './contracts/errors.js';
import type { Config } from './config/schema.js';
import type { Clock } from './ports/clock.js';
import type { FileStore } from './ports/files.js';
import type { HostPort } from './ports/host.js';
import type { ProcessMeter } from './ports/process.js';
import { collectSystem } from './collectors/system/index.js';
import { evaluateRules } from './rules/index.js';
import { mergeThresholds } from './rules/thresholds.js';
import { computeScores } from './scoring/index.js';
import { assess } from './scoring/assessment.js';
import { REPORTERS, reportFileName } from './reporters/index.js';
import { errorMessage, round3, runPhase, type PhaseOutcome } from './pipeline/phase-runner.js';
import { nodeVersionCheck, timedCheck } from './pipeline/prerequisites.js';

export interface Ports {
  clock: Clock;
  files: FileStore;
  host: HostPort;
  process: ProcessMeter;
}

export type ProgressEvent = { type: 'phase-start'; id: PhaseId } | { type: 'phase-end'; record: PhaseRecord };

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
}

/** Phases whose collectors arrive with later issues (docker: 5, database: 3, api: 4). */
const NOT_BUILT: Record<'docker' | 'database' | 'api', string> = {
  docker: 'Docker containers: not configured (this version has no Docker phase yet)',
  database: 'PostgreSQL, PgBouncer and Redis: not configured (this version has no database phase yet)',
  api: 'HTTP API timings, login flow and load test: not configured (this version has no API phase yet)',
};

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

  // Checked before any work: a run that cannot write its report must not spend minutes measuring.
  const outputCheck = await timedCheck('output-directory', ports.clock, async () => {
    await ports.files.ensureWritableDir(config.outputDir);
    return `${path.resolve(config.outputDir)} is writable`;
  });
  if (!outputCheck.ok) {
    throw new UsageError(
      `cannot write reports to output directory "${config.outputDir}": ${outputCheck.detail}. ` +
        'Choose another with --output-dir or fix its permissions.',
    );
  }

  const phases: PhaseRecord[] = [];
  const artifacts: Artifacts = {};
  let findings: Finding[] = [];
  let ruleResults: RuleResult[] = [];
  let scores: Scores | undefined;

  /** `always`: runs even after Ctrl-C (insights), so the partial report still says what was seen */
  const phase = async (id: PhaseId, work: () => Promise<PhaseOutcome>, always = false) => {
    options.onProgress?.({ type: 'phase-start', id });
    const record = signal.aborted && !always
      ? await runPhase(id, async () => ({ status: 'skipped', reason: 'interrupted' }), ports)
      : await runPhase(id, work, ports);
    phases.push(record);
    options.onProgress?.({ type: 'phase-end', record });
    return record;
  };

  await phase('prerequisites', async () => {
    const checks: PrerequisiteCheck[] = [
      nodeVersionCheck(ports.process.environment().node, 0),
      { id: 'configuration', ok: true, durationMs: 0, detail: `valid (${options.configSource})` },
      outputCheck,
    ];
    artifacts.prerequisites = { status: 'ok', durationMs: 0, data: { checks } };
    const failed = checks.filter((check) => !check.ok);
    return failed.length === 0
      ? { status: 'ok' }
      : { status: 'partial', reason: failed.map((check) => `${check.id}: ${check.detail}`).join('; ') };
  });

  const systemRecord = await phase('system', async () => {
    const started = ports.clock.monotonicMs();
    try {
      const result = await collectSystem(ports, { sampleSeconds: config.system.sampleSeconds, signal });
      artifacts.system = {
        status: result.partial ? 'partial' : 'ok',
        durationMs: round3(ports.clock.monotonicMs() - started),
        data: result.data,
      };
      return result.partial ? { status: 'partial', reason: result.partial } : { status: 'ok' };
    } catch (error) {
      artifacts.system = { status: 'error', durationMs: round3(ports.clock.monotonicMs() - started), error: errorMessage(error) };
      throw error;
    }
  });
  if (signal.aborted && systemRecord.status === 'skipped') {
    artifacts.system = { status: 'skipped', durationMs: 0, error: 'interrupted before the system phase' };
  }

  for (const id of ['docker', 'database', 'api'] as const) {
    await phase(id, async () => ({ status: 'skipped', reason: 'not configured' }));
  }

  await phase(
    'insights',
    async () => {
      const evaluated = evaluateRules(artifacts, thresholds);
      findings = evaluated.findings;
      ruleResults = evaluated.results;
      scores = computeScores({ artifacts, findings, thresholds });
      return { status: 'ok' };
    },
    true,
  );
  // if rule evaluation itself failed, the scores still come from the artifacts alone
  scores ??= computeScores({ artifacts, findings, thresholds });

  const environment = ports.process.environment();
  const notMeasured = phases
    .filter((record) => record.status !== 'ok' && record.id !== 'report')
    .map((record) =>
      record.reason === 'not configured' && record.id in NOT_BUILT
        ? NOT_BUILT[record.id as keyof typeof NOT_BUILT]
        : `${record.id}: ${record.status}${record.reason ? ` (${record.reason})` : ''}`,
    );
  for (const note of artifacts.system?.data?.notes ?? []) notMeasured.push(`system: ${note}`);

  options.onProgress?.({ type: 'phase-start', id: 'report' });
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
    interrupted: signal.aborted,
    environment,
    target: {
      host: environment.hostname,
      components: {
        system: { configured: true },
        database: { configured: false },
        cache: { configured: false },
        api: { configured: false },
      },
    },
    phases,
    metrics: {
      ...(artifacts.prerequisites?.data ? { prerequisites: artifacts.prerequisites.data } : {}),
      ...(artifacts.system?.data ? { system: artifacts.system.data } : {}),
    },
    findings,
    rules: ruleResults,
    scores,
    assessment: assess(scores.health, scores.performance, findings),
    summary,
    notMeasured,
    profiler: { wallMs: 0, cpuUserMs: 0, cpuSystemMs: 0, peakRssBytes: 0 },
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

  const files: Record<string, string> = {};
  for (const format of config.formats) {
    const reporter = REPORTERS[format];
    if (reporter) files[format] = path.join(config.outputDir, reportFileName(reporter, startedAt));
  }
  for (const format of config.formats) {
    const reporter = REPORTERS[format];
    const filePath = files[format];
    if (!reporter || !filePath) continue;
    await ports.files.writeAtomic(filePath, reporter.render(report, { color: false, files: { json: files.json, text: files.text } }));
  }
  options.onProgress?.({ type: 'phase-end', record: reportRecord });
  return { report, files };
}

/** True when any finding is at or above the --fail-on level ("none" never fails). */
export function hasFindingsAtOrAbove(findings: readonly Finding[], failOn: Config['failOn']): boolean {
  if (failOn === 'none') return false;
  return findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]);
}
