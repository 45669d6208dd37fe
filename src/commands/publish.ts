import os from 'node:os';
import type { Config } from '../config/schema.js';
import type { Report } from '../contracts/report.js';
import { realPushgateway, type PushgatewayPort } from '../ports/pushgateway.js';
import { realReportStore, type ReportStore } from '../ports/reports.js';
import { renderAnnotations } from '../reporters/github.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { renderPrometheus } from '../reporters/prom.js';

const PUSH_TIMEOUT_MS = 10_000;

/** A URL without its user and password, for messages. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.username || url.password) {
      url.username = url.username ? '***' : '';
      url.password = '';
    }
    return url.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Pushgateway grouping path: /metrics/job/perf_analyze/instance/<host>, each value URL-encoded. */
export function pushUrl(base: string, instance: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/metrics/job/perf_analyze/instance/${encodeURIComponent(instance)}`;
  return url.toString();
}

/**
 * After the report is written: GitHub annotations (GITHUB_ACTIONS=true) for findings at or
 * above --fail-on, the Markdown summary appended to $GITHUB_STEP_SUMMARY (when md is a
 * format), and the metrics pushed to --pushgateway. Problems become stderr lines, never a
 * crash: the report is already on disk.
 */
export async function publishForCi(
  report: Report,
  config: Config,
  env: NodeJS.ProcessEnv,
  stdoutReserved: boolean,
  ports: { reports: ReportStore; pushgateway: PushgatewayPort } = { reports: realReportStore, pushgateway: realPushgateway },
): Promise<{ stdout: string[]; stderr: string[] }> {
  const out: { stdout: string[]; stderr: string[] } = { stdout: [], stderr: [] };
  if (env.GITHUB_ACTIONS === 'true') {
    // the runner reads workflow commands from stdout and stderr; stdout stays clean under --json / --quiet
    const annotations = renderAnnotations(report, config.failOn);
    (stdoutReserved || config.quiet ? out.stderr : out.stdout).push(...annotations);
  }
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile && config.formats.includes('md')) {
    try {
      await ports.reports.append(summaryFile, `${renderMarkdown(report)}\n`);
    } catch (error) {
      out.stderr.push(`perf-analyze: could not append the summary to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}`);
    }
  }
  if (config.pushgateway) {
    const target = pushUrl(config.pushgateway, report.environment.hostname || os.hostname());
    try {
      const status = await ports.pushgateway.push(target, renderPrometheus(report), PUSH_TIMEOUT_MS);
      if (status < 200 || status >= 300) out.stderr.push(`perf-analyze: the Pushgateway ${redactUrl(target)} answered HTTP ${status}; metrics not pushed`);
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      out.stderr.push(`perf-analyze: could not push metrics to ${redactUrl(target)}: ${reason}`);
    }
  }
  return out;
}
