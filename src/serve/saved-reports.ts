/**
 * The saved reports of the output directory, as the dashboard reads them: the latest in full
 * (for health-overview, bottlenecks, /metrics and the page) and a small summary of each
 * (for metrics/historical). A report file never changes once written (atomic rename), so each
 * file is parsed once and its summary kept; a listing is cached for `listTtlMs`.
 */
import path from 'node:path';
import { parseSavedReport, REPORT_FILE } from '../baseline/read.js';
import type { Report } from '../contracts/report.js';
import { LATEST_POINTER } from '../pipeline/baseline.js';
import type { ReportStore } from '../ports/reports.js';

export interface ReportSummary {
  file: string;
  started_at: string;
  health_score: number | null;
  performance_score: number | null;
  assessment: string | null;
  findings: { critical: number; warning: number; info: number } | null;
  system: { cpu_percent: number | null; memory_percent: number | null; disk_percent: number | null };
  database: { connections_utilization_percent: number | null; avg_query_time_ms: number | null };
  load: { capacity_users: number | null; capacity_rps: number | null };
  api: { worst_p95_ms: number | null };
}

/** Entries kept in memory: at most this many report summaries (a year of nightly runs). */
export const SUMMARY_CACHE_LIMIT = 1000;

const obj = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const metricValue = (value: unknown): number | null => {
  const v = obj(value).value;
  return typeof v === 'number' ? v : null;
};
const numberOr = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function summarise(file: string, raw: Record<string, unknown>, startedAt: string, health: number | null, findings: ReportSummary['findings']): ReportSummary {
  const metrics = obj(raw.metrics);
  const system = obj(metrics.system);
  const root = (Array.isArray(system.mounts) ? system.mounts : []).map(obj).find((mount) => mount.mount === '/');
  const servers = Array.isArray(obj(metrics.postgres).servers) ? (obj(metrics.postgres).servers as unknown[]) : [];
  const databases = Array.isArray(obj(metrics.postgres).databases) ? (obj(metrics.postgres).databases as unknown[]) : [];
  const knee = obj(obj(metrics.load).knee);
  const capacity = obj(knee.capacity);
  const endpoints = Array.isArray(obj(metrics.api).endpoints) ? (obj(metrics.api).endpoints as unknown[]) : [];
  const p95s = endpoints.map((endpoint) => numberOr(obj(obj(endpoint).latency).p95Ms)).filter((value): value is number => value !== null);
  const scores = obj(raw.scores);
  return {
    file,
    started_at: startedAt,
    health_score: health,
    performance_score: numberOr(scores.performance),
    assessment: typeof raw.assessment === 'string' ? raw.assessment : null,
    findings,
    system: {
      cpu_percent: metricValue(obj(system.cpu).totalPercent),
      memory_percent: metricValue(obj(system.memory).usedPercent),
      disk_percent: root ? metricValue(root.usedPercent) : null,
    },
    database: {
      connections_utilization_percent: servers.length > 0 ? metricValue(obj(obj(servers[0]).connections).utilisationPercent) : null,
      avg_query_time_ms: databases.length > 0 ? metricValue(obj(obj(databases[0]).statements).averageMs) : null,
    },
    load: { capacity_users: numberOr(capacity.concurrency), capacity_rps: numberOr(capacity.throughputRps) },
    api: { worst_p95_ms: p95s.length > 0 ? Math.max(...p95s) : null },
  };
}

export class SavedReports {
  private summaries = new Map<string, ReportSummary | null>();
  private listing: { names: string[]; atMs: number } | null = null;
  private latest: { name: string; report: Report } | null = null;

  constructor(
    readonly dir: string,
    private readonly store: ReportStore,
    private readonly nowMs: () => number,
    private readonly listTtlMs = 1000,
  ) {}

  /** report file names, oldest first (the timestamp in the name sorts) */
  async names(): Promise<string[]> {
    const now = this.nowMs();
    if (this.listing && now - this.listing.atMs < this.listTtlMs) return this.listing.names;
    const names = (await this.store.list(this.dir)).filter((name) => REPORT_FILE.test(name) && name !== LATEST_POINTER).sort();
    this.listing = { names, atMs: now };
    return names;
  }

  /** The newest readable report in full; null when there is none. */
  async latestReport(): Promise<{ file: string; report: Report } | null> {
    const names = await this.names();
    for (let index = names.length - 1; index >= 0; index -= 1) {
      const name = names[index]!;
      if (this.latest?.name === name) return { file: path.join(this.dir, name), report: this.latest.report };
      const parsed = await this.parse(name);
      if (parsed) {
        this.latest = { name, report: parsed.raw as unknown as Report };
        return { file: path.join(this.dir, name), report: this.latest.report };
      }
    }
    return null;
  }

  /** Summaries of the reports started at or after `since`, oldest first; unreadable files are skipped and counted. */
  async since(since: Date): Promise<{ reports: ReportSummary[]; skipped: number }> {
    const names = await this.names();
    const reports: ReportSummary[] = [];
    let skipped = 0;
    const stamp = (name: string) => {
      const match = REPORT_FILE.exec(name)![1]!;
      return new Date(Number(match.slice(0, 4)), Number(match.slice(4, 6)) - 1, Number(match.slice(6, 8)), Number(match.slice(9, 11)), Number(match.slice(11, 13)), Number(match.slice(13, 15)));
    };
    // the file name carries the local start time: files clearly older than the window are not even read
    const candidates = names.filter((name) => stamp(name).getTime() >= since.getTime() - 24 * 3600 * 1000);
    for (const name of candidates) {
      let summary = this.summaries.get(name);
      if (summary === undefined) {
        const parsed = await this.parse(name);
        summary = parsed ? summarise(path.join(this.dir, name), parsed.raw, parsed.startedAt, parsed.health, parsed.summary) : null;
        if (this.summaries.size >= SUMMARY_CACHE_LIMIT) this.summaries.delete(this.summaries.keys().next().value!);
        this.summaries.set(name, summary);
      }
      if (summary === null) skipped += 1;
      else if (Date.parse(summary.started_at) >= since.getTime()) reports.push(summary);
    }
    return { reports, skipped };
  }

  private async parse(name: string) {
    try {
      const result = parseSavedReport(await this.store.read(path.join(this.dir, name)));
      return result.ok ? result.report : null;
    } catch {
      return null;
    }
  }
}
