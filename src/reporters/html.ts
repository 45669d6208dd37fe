/**
 * `--format html`: one self-contained page (styles, script, chart library and data inline;
 * no network), readable offline and printable. The tables (assessment, scores, findings with
 * evidence and recommendations, endpoint percentiles, baseline comparison) are plain HTML so
 * they print and read without JavaScript; the charts are drawn by uPlot, bundled into the
 * page from the installed package (RenderContext.chartLibrary). The dashboard page that
 * `perf-analyze serve` shows at / is the same page in live mode. Pure.
 */
import type { Finding } from '../contracts/finding.js';
import type { Report } from '../contracts/report.js';
import type { ChartLibrary, Reporter } from '../contracts/reporter.js';
import { bySeverity, formatValue, plain, rootCauses } from './format.js';
import { chartData } from './html-data.js';
import { CLIENT_SCRIPT } from './html-client.js';

export interface LiveOptions {
  /** the dashboard API base path on the same origin, e.g. /api/v1/performance-dashboard */
  api: string;
  refreshSeconds: number;
  /** points kept in the rolling live chart */
  points: number;
  /** the bearer token the page was opened with, for its own API calls (only when the server requires one) */
  token?: string;
}

export interface HtmlOptions {
  live?: LiveOptions;
}

export function escapeHtml(text: string): string {
  return plain(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside <script>: no "</script>", no "<!--", no line separators that end a JS string. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline script text cannot contain "</script" (it would end the element). */
function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
function inlineStyle(source: string): string {
  return source.replace(/<\/(style)/gi, '<\\/$1');
}

const e = escapeHtml;
const num = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '-' : value.toFixed(digits));

function evidence(finding: Finding): string {
  const { metric, value, unit, threshold } = finding.evidence;
  const shown = typeof value === 'number' ? formatValue(value, unit) : String(value);
  const limit = threshold === undefined || threshold === null ? '' : ` (threshold ${typeof threshold === 'number' ? formatValue(threshold, unit) : String(threshold)})`;
  return `${metric} = ${shown}${limit}`;
}

function findingsSection(report: Report): string {
  if (report.findings.length === 0) return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>';
  const groups = (['critical', 'warning', 'info'] as const)
    .map((severity) => {
      const list = bySeverity(report.findings).filter((finding) => finding.severity === severity);
      if (list.length === 0) return '';
      const items = list
        .map(
          (finding) => `<article class="finding ${severity}">
<h4><span class="badge ${severity}">${severity}</span> ${e(finding.title)} <code>${e(finding.subject)}</code></h4>
<p>${e(finding.message)}</p>
<p class="evidence"><b>Evidence:</b> <code>${e(evidence(finding))}</code> <span class="rule">${e(finding.ruleId)}</span></p>
<p class="recommendation"><b>Recommendation:</b> ${e(finding.recommendation)}</p>
</article>`,
        )
        .join('\n');
      return `<h3>${severity[0]!.toUpperCase()}${severity.slice(1)} (${list.length})</h3>\n${items}`;
    })
    .join('\n');
  return `<section id="findings"><h2>Findings</h2>\n${groups}</section>`;
}

/** The diagnosis's root causes first, ordered by the time their fix would save (as the text summary). */
function rootCauseSection(report: Report): string {
  const causes = rootCauses(report.findings);
  if (causes.length === 0) return '';
  const items = causes
    .map(
      (finding) => `<li class="finding ${finding.severity}"><h4><span class="badge ${finding.severity}">${finding.severity}</span> ${e(finding.title)}${
        finding.estimatedSavingMsPerRequest !== undefined ? ` <span class="saving">saves about ${e(formatValue(finding.estimatedSavingMsPerRequest, 'ms'))} per request</span>` : ''
      }</h4>
<p>${e(finding.message)}</p>
<p class="recommendation"><b>Recommendation:</b> ${e(finding.recommendation)}</p></li>`,
    )
    .join('\n');
  return `<section id="root-causes"><h2>Root causes</h2>\n<ol>\n${items}\n</ol></section>`;
}

function scoresSection(report: Report): string {
  const rows = Object.entries(report.scores.components)
    .map(([id, component]) => {
      const weight = report.scores.weights[id as keyof typeof report.scores.weights];
      return `<tr><td>${e(id)}</td><td class="n">${component.score === null ? '-' : num(component.score)}</td><td class="n">${weight === undefined ? '-' : `${(weight * 100).toFixed(0)} %`}</td><td>${e(component.basis)}</td></tr>`;
    })
    .join('\n');
  return `<section id="scores"><h2>Component scores</h2>
<table><thead><tr><th>component</th><th>score</th><th>weight</th><th>basis</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
}

function loadSection(report: Report): string {
  const load = report.metrics.load;
  const table =
    load && load.ladder.length > 0
      ? `<table><thead><tr><th>users</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>errors %</th><th>requests</th></tr></thead><tbody>
${load.ladder
  .map(
    (level) =>
      `<tr${load.knee?.capacity?.concurrency === level.concurrency ? ' class="knee"' : ''}><td class="n">${level.concurrency ?? '-'}</td><td class="n">${num(level.throughputRps)}</td><td class="n">${num(level.latency.p50Ms, 3)}</td><td class="n">${num(level.latency.p95Ms, 3)}</td><td class="n">${num(level.latency.p99Ms, 3)}</td><td class="n">${num(level.errorPercent, 2)}</td><td class="n">${level.requests}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
      : '';
  const knee = load?.knee ? `<p class="knee-summary"><b>Capacity:</b> ${e(load.knee.summary)}</p>` : '';
  return `<section id="load"><h2>Capacity: throughput and p95 against concurrency</h2>${knee}<div class="chart" id="chart-load"></div>${table}</section>`;
}

function endpointSection(report: Report): string {
  const endpoints = report.metrics.api?.endpoints ?? [];
  const table =
    endpoints.length > 0
      ? `<table><thead><tr><th>endpoint</th><th>samples</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>errors %</th></tr></thead><tbody>
${endpoints
  .map(
    (endpoint) =>
      `<tr><td><code>${e(`${endpoint.method} ${endpoint.path}`)}</code>${endpoint.skipped ? ` <i>skipped: ${e(endpoint.skipped)}</i>` : ''}</td><td class="n">${endpoint.latency.samples}</td><td class="n">${num(endpoint.latency.p50Ms, 3)}</td><td class="n">${num(endpoint.latency.p95Ms, 3)}</td><td class="n">${num(endpoint.latency.p99Ms, 3)}</td><td class="n">${num(endpoint.latency.maxMs, 3)}</td><td class="n">${num(endpoint.errorRatePercent, 2)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
      : '';
  return `<section id="endpoints"><h2>Endpoint latency percentiles</h2><div class="chart" id="chart-endpoints"></div>${table}</section>`;
}

function resourceSection(report: Report): string {
  const system = report.metrics.system;
  const facts = system
    ? `<p>Host <code>${e(system.hostname)}</code>, ${system.cpu.cores} cores, sampled over ${(system.windowMs / 1000).toFixed(1)} s: CPU ${num(system.cpu.totalPercent.value)} %, memory ${num(system.memory.usedPercent.value)} %, load (1 min) per core ${num(system.load.load1PerCore.value, 2)}.</p>`
    : '';
  return `<section id="resources"><h2>Resource use</h2>${facts}<div class="chart" id="chart-resources"></div></section>`;
}

function baselineSection(report: Report): string {
  const baseline = report.baseline;
  if (!baseline) return '';
  const changed = baseline.metrics.filter((change) => change.verdict === 'regression' || change.verdict === 'improvement');
  const rows = changed
    .map(
      (change) =>
        `<tr class="${change.verdict}"><td><code>${e(change.metric)}</code></td><td class="n">${e(formatValue(change.old, change.unit))}</td><td class="n">${e(formatValue(change.new, change.unit))}</td><td class="n">${change.changePercent === null ? '-' : `${change.changePercent > 0 ? '+' : ''}${change.changePercent.toFixed(1)} %`}</td><td>${e(change.verdict)}</td></tr>`,
    )
    .join('\n');
  const s = baseline.summary;
  return `<section id="baseline"><h2>Compared with the baseline</h2>
<p>Baseline <code>${e(baseline.file)}</code> of ${e(baseline.startedAt)}: ${s.regressions} regressions, ${s.improvements} improvements, ${s.unchanged} unchanged of ${s.compared} metrics compared; findings ${baseline.findings.new.length} new, ${baseline.findings.resolved.length} resolved.</p>
${changed.length > 0 ? `<table><thead><tr><th>metric</th><th>baseline</th><th>now</th><th>change</th><th>verdict</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No metric changed beyond its noise.</p>'}
</section>`;
}

const STYLE = `
:root { --critical: #d1242f; --warning: #9a6700; --info: #0969da; --ok: #1a7f37; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1000px; padding: 1rem 1.5rem; color: #1f2328; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2rem; }
.meta { color: #59636e; }
.headline { display: flex; gap: 2rem; align-items: baseline; flex-wrap: wrap; }
.score { font-size: 2.6rem; font-weight: 700; }
.assessment { font-size: 1.4rem; font-weight: 600; padding: 0.1rem 0.6rem; border-radius: 4px; color: #fff; }
.assessment.EXCELLENT, .assessment.GOOD { background: var(--ok); } .assessment.FAIR { background: var(--warning); } .assessment.POOR, .assessment.CRITICAL { background: var(--critical); }
table { border-collapse: collapse; margin: 0.6rem 0; width: 100%; } th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.knee { background: #dafbe1; } tr.regression { background: #ffebe9; } tr.improvement { background: #dafbe1; }
.finding { border-left: 4px solid #d0d7de; padding: 0.2rem 0.8rem; margin: 0.6rem 0; break-inside: avoid; }
.finding.critical { border-color: var(--critical); } .finding.warning { border-color: var(--warning); } .finding.info { border-color: var(--info); }
.finding h4 { margin: 0.3rem 0; } .rule { color: #59636e; font-size: 0.85em; }
.badge { color: #fff; border-radius: 3px; padding: 0 0.4rem; font-size: 0.8em; text-transform: uppercase; }
.badge.critical { background: var(--critical); } .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.chart { margin: 0.6rem 0; min-height: 2rem; } .chart.missing { color: #59636e; font-style: italic; }
#live { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5rem 1rem; }
code { font-size: 0.92em; }
@media print { body { max-width: none; } #live { display: none; } h2 { break-after: avoid; } .chart { break-inside: avoid; } }
`;

/** The page; `chartLibrary` is required (charts come from it), `options.live` makes it the dashboard page. */
export function renderHtml(report: Report, chartLibrary: ChartLibrary | undefined, options: HtmlOptions = {}): string {
  if (!chartLibrary || chartLibrary.script.length === 0) {
    throw new Error('the html format needs the charting library (uplot) to bundle into the page; none was given');
  }
  const data = {
    ...chartData(report),
    reportStartedAt: report.startedAt,
    ...(options.live ? { live: options.live } : {}),
  };
  const s = report.summary;
  const title = `perf-analyze report ${report.startedAt}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;${options.live ? " connect-src 'self';" : ''}">
<title>${e(title)}</title>
<style>${inlineStyle(chartLibrary.stylesheet)}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${options.live ? 'perf-analyze dashboard' : 'perf-analyze report'}</h1>
<p class="meta">${e(report.target.host)} &middot; started ${e(report.startedAt)} &middot; ${(report.durationMs / 1000).toFixed(1)} s &middot; ${e(report.tool.name)} ${e(report.tool.version)}${report.interrupted ? ' &middot; <b>interrupted: partial report</b>' : ''}</p>
<div class="headline">
<div><div>Health score</div><div class="score" id="health-score">${report.scores.health.toFixed(1)}</div></div>
${report.scores.performance !== undefined ? `<div><div>Performance score</div><div class="score" id="performance-score">${report.scores.performance.toFixed(1)}</div></div>` : ''}
<div><div>Assessment</div><div class="assessment ${e(report.assessment)}" id="assessment">${e(report.assessment)}</div></div>
<div><div>Findings</div><div id="finding-counts">${s.critical} critical, ${s.warning} warning, ${s.info} info</div></div>
</div>
</header>
${options.live ? '<section id="live"><h2>Live</h2><p id="live-status">live: waiting for the first sample</p><div class="chart" id="chart-live"></div></section>' : ''}
${rootCauseSection(report)}
${scoresSection(report)}
${findingsSection(report)}
${loadSection(report)}
${endpointSection(report)}
${resourceSection(report)}
${baselineSection(report)}
${report.notMeasured.length > 0 ? `<section id="not-measured"><h2>Not measured</h2><ul>${report.notMeasured.map((line) => `<li>${e(line)}</li>`).join('')}</ul></section>` : ''}
<footer class="meta"><p>Charts: ${e(chartLibrary.name)} ${e(chartLibrary.version)} (${e(chartLibrary.license)}), bundled into this file.</p></footer>
<script type="application/json" id="chart-data">${scriptJson(data)}</script>
<script>${inlineScript(chartLibrary.script)}</script>
<script>${inlineScript(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}

export const htmlReporter: Reporter = {
  format: 'html',
  filePrefix: 'performance_analysis_report_',
  extension: '.html',
  render: (report, context) => renderHtml(report, context.chartLibrary),
};
