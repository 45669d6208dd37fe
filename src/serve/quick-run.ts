/**
 * The "fresh quick run" behind `bottlenecks/analysis?fresh=1`: the seven phases run in-process
 * with the serve command's configuration, cut down to fit the endpoint's 2 s budget:
 * - short sampling windows: the phases with a window run one after the other (system, then
 *   Docker, then the database phase: PostgreSQL and Redis side by side), so `samplingBudgetSeconds`
 *   (1.4 s) is shared among the configured ones, each at most `windowSeconds` (1 s) and at least
 *   0.2 s: host alone 1 s; host + databases 0.7 s each; host + Docker + databases 0.47 s each.
 *   The big-key scan gets at most 0.5 s;
 * - no load test, no diagnosis, no baseline comparison;
 * - API timings with at most 5 samples and 1 warm-up request per endpoint; the login flow with at
 *   most 3 timed logins and no concurrency sweep (that sweep is a small load test).
 * Nothing is written to the reports directory: the run gets a fresh temp directory of its own
 * (mkdtemp under the OS temp dir) and no report formats, so the only file ever written is
 * runAnalysis's writability probe, which it deletes; the directory is removed afterwards. The
 * report store it gets refuses to write anything (no latest pointer, no pruning).
 * One run at a time: a request that arrives while a run is going joins it and gets the same
 * result. The run is aborted at `deadlineMs` (what it measured so far still makes findings,
 * and the response says which phases were cut short); if it has not returned `graceMs` later
 * the request gets an error, and no new run starts until the old one has finished.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import type { Report } from '../contracts/report.js';
import type { Ports } from '../ports/index.js';
import type { ReportStore } from '../ports/reports.js';
import { runAnalysis } from '../run.js';
import { COLLECTORS } from '../collectors/index.js';
import { errorMessage } from '../shared/errors.js';

export const QUICK_RUN_DEFAULTS = { windowSeconds: 1, samplingBudgetSeconds: 1.4, deadlineMs: 1800, graceMs: 1500 } as const;

export interface QuickRunOptions {
  /** the longest sampling window of one phase */
  windowSeconds: number;
  /** shared among the configured phases that sample over a window (they run one after another) */
  samplingBudgetSeconds: number;
  /** the run is aborted (partial report) this long after it started */
  deadlineMs: number;
  /** after the abort, how long to wait for the partial report before giving up on the request */
  graceMs: number;
  tool: { name: string; version: string };
}

export interface QuickRunResult {
  report: Report;
  startedAtMs: number;
  durationMs: number;
  /** phases that did not run to the end because the deadline aborted them */
  cutShort: string[];
}

export type QuickRunOutcome =
  | { kind: 'result'; result: QuickRunResult; joined: boolean }
  | { kind: 'busy'; message: string }
  | { kind: 'failed'; message: string };

const WINDOWED_PHASES = ['system', 'docker', 'database'] as const;

/** The sampling window of each windowed phase: the budget shared among the configured ones. */
export function quickWindowSeconds(config: Config, options: Pick<QuickRunOptions, 'windowSeconds' | 'samplingBudgetSeconds'>): number {
  const phases = WINDOWED_PHASES.filter((phase) => COLLECTORS.some((collector) => collector.phase === phase && collector.configured(config))).length;
  const share = options.samplingBudgetSeconds / Math.max(1, phases);
  return Math.floor(Math.max(0.2, Math.min(options.windowSeconds, share)) * 100) / 100;
}

/** The serve command's configuration cut down to a quick run (see the module comment). */
export function quickConfig(config: Config, outputDir: string, windowSeconds: number): Config {
  const { keep: _keep, pushgateway: _pushgateway, ...rest } = config;
  return {
    ...rest,
    outputDir,
    formats: [],
    failOn: 'none',
    quiet: true,
    json: false,
    system: { ...config.system, sampleSeconds: windowSeconds },
    database: { ...config.database, sampleSeconds: windowSeconds },
    redis: { ...config.redis, sampleSeconds: windowSeconds, maxScanSeconds: Math.min(config.redis.maxScanSeconds, 0.5) },
    load: { ...config.load, enabled: false },
    diagnosis: { ...config.diagnosis, enabled: false },
    baseline: { ...config.baseline, against: undefined },
    api: {
      ...config.api,
      samples: Math.min(config.api.samples, 5),
      warmup: Math.min(config.api.warmup, 1),
      ...(config.api.login ? { login: { ...config.api.login, samples: Math.min(config.api.login.samples, 3), concurrency: [] } } : {}),
    },
  };
}

const refuse = (what: string) => () => Promise.reject(new Error(`a dashboard quick run writes nothing (${what} refused)`));

/** Reads pass through (nothing reads in a quick run, as baselines are off); writes are refused. */
function readOnlyReports(reports: ReportStore): ReportStore {
  return { list: (dir) => reports.list(dir), read: (file) => reports.read(file), remove: refuse('remove'), pointTo: refuse('latest pointer'), append: refuse('append') };
}

export class QuickRunner {
  /** the shared answer of the current run (joined by concurrent requests) */
  private current: Promise<QuickRunOutcome> | null = null;
  /** the run itself: it may outlive `current` when it overran the grace period */
  private running: Promise<unknown> | null = null;
  private controller: AbortController | null = null;
  private runs = 0;

  constructor(
    private readonly config: Config,
    private readonly ports: Ports,
    readonly options: QuickRunOptions,
  ) {}

  /** the sampling window of each windowed phase for the serve configuration */
  get windowSeconds(): number {
    return quickWindowSeconds(this.config, this.options);
  }

  /** quick runs started so far (joined requests do not start one) */
  get started(): number {
    return this.runs;
  }

  async run(): Promise<QuickRunOutcome> {
    if (this.current) {
      const outcome = await this.current;
      return outcome.kind === 'result' ? { ...outcome, joined: true } : outcome;
    }
    if (this.running) return { kind: 'busy', message: 'the previous fresh run overran its deadline and is still finishing; try again in a few seconds, or drop fresh=1 for the latest saved report' };
    this.current = this.start();
    try {
      return await this.current;
    } finally {
      this.current = null;
    }
  }

  /** aborts a run in progress and waits for it (serve shutting down) */
  async close(): Promise<void> {
    this.controller?.abort();
    await this.running?.catch(() => undefined);
  }

  private async start(): Promise<QuickRunOutcome> {
    this.runs += 1;
    const controller = new AbortController();
    this.controller = controller;
    const startedAtMs = Date.now();
    const began = performance.now();
    const deadline = setTimeout(() => controller.abort(), this.options.deadlineMs);
    const work = (async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-quick-'));
      try {
        return await runAnalysis(
          {
            config: quickConfig(this.config, dir, this.windowSeconds),
            configSource: 'the serve configuration, cut down to a dashboard quick run',
            tool: this.options.tool,
            signal: controller.signal,
          },
          { ...this.ports, reports: readOnlyReports(this.ports.reports) },
        );
      } finally {
        clearTimeout(deadline);
        await rm(dir, { recursive: true, force: true });
      }
    })();
    const running = work.finally(() => {
      if (this.running === running) this.running = null;
      if (this.controller === controller) this.controller = null;
    });
    this.running = running;
    running.catch(() => undefined);
    let giveUp: NodeJS.Timeout | undefined;
    const overran = new Promise<'overran'>((resolve) => {
      giveUp = setTimeout(() => resolve('overran'), this.options.deadlineMs + this.options.graceMs);
    });
    try {
      const outcome = await Promise.race([work, overran]);
      if (outcome === 'overran') {
        controller.abort();
        return { kind: 'failed', message: `the fresh run did not return within ${this.options.deadlineMs + this.options.graceMs} ms (aborted at ${this.options.deadlineMs} ms); drop fresh=1 for the latest saved report` };
      }
      const cutShort = outcome.report.phases.filter((phase) => phase.status === 'skipped' && phase.reason === 'interrupted').map((phase) => phase.id);
      return { kind: 'result', joined: false, result: { report: outcome.report, startedAtMs, durationMs: Math.round(performance.now() - began), cutShort } };
    } catch (error) {
      return { kind: 'failed', message: `the fresh run failed: ${errorMessage(error)}` };
    } finally {
      clearTimeout(giveUp);
    }
  }
}
