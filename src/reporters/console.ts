/**
 * What the CLI prints at the end of a run: the final box of the original specification,
 * and optionally one line per finding. Not a Reporter (nothing is written to a file).
 * Pure: returns strings, prints nothing.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Severity } from '../contracts/finding.js';
import type { Assessment, Report } from '../contracts/report.js';
import type { RenderContext } from '../contracts/reporter.js';
import { MAX_WIDTH, bySeverity, formatEvidence, oneLine, truncate } from './format.js';

const BOX_WIDTH = 80;

/** Colour level 0 writes no escape codes whatever the terminal supports; the caller decides. */
function palette(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** " (2 critical findings ...; health 79/100)": the reason without its leading label */
function reasonOf(report: Report): string {
  const reason = report.assessmentReason;
  if (!reason) return '';
  const text = reason.startsWith(`${report.assessment}: `) ? reason.slice(report.assessment.length + 2) : reason;
  return ` (${oneLine(text)})`;
}

function paintAssessment(chalk: ChalkInstance, assessment: Assessment): string {
  switch (assessment) {
    case 'EXCELLENT':
    case 'GOOD':
      return chalk.green.bold(assessment);
    case 'FAIR':
      return chalk.yellow.bold(assessment);
    case 'POOR':
    case 'CRITICAL':
      return chalk.red.bold(assessment);
  }
}

/**
 * The final box:
 *   ====...
 *   PERFORMANCE ANALYSIS COMPLETE
 *   ====...
 *   📊 Overall Assessment: GOOD  ...  📋 Executive Summary: <path>
 *   ====...
 * A file line is left out when that file was not written (its format was not asked for).
 * Ends with a newline, ready for process.stdout.write.
 */
export function renderConsoleBox(report: Report, context: RenderContext): string {
  const chalk = palette(context.color);
  const rule = '='.repeat(BOX_WIDTH);
  const { summary, scores } = report;

  const headline = report.interrupted
    ? chalk.yellow.bold('PERFORMANCE ANALYSIS INTERRUPTED (partial report)')
    : chalk.bold('PERFORMANCE ANALYSIS COMPLETE');
  const critical = summary.critical > 0 ? chalk.red.bold(String(summary.critical)) : String(summary.critical);
  const warnings = summary.warning > 0 ? chalk.yellow(String(summary.warning)) : String(summary.warning);

  const lines = [
    rule,
    headline,
    rule,
    `📊 Overall Assessment: ${paintAssessment(chalk, report.assessment)}${reasonOf(report)}`,
    `📈 Health Score: ${Math.round(scores.health)}/100`,
  ];
  if (scores.performance !== undefined) lines.push(`📈 Performance Score: ${Math.round(scores.performance)}/100`);
  lines.push(`🚨 Critical Issues: ${critical}`, `⚠️ Warnings: ${warnings}`, `💡 Recommendations: ${summary.recommendations}`);
  if (context.files.json !== undefined) lines.push(`📄 Detailed Report: ${oneLine(context.files.json)}`);
  if (context.files.text !== undefined) lines.push(`📋 Executive Summary: ${oneLine(context.files.text)}`);
  lines.push(rule);
  return `${lines.join('\n')}\n`;
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };

function paintSeverity(chalk: ChalkInstance, severity: Severity, label: string): string {
  if (severity === 'critical') return chalk.red.bold(label);
  if (severity === 'warning') return chalk.yellow(label);
  return chalk.cyan(label);
}

/**
 * One line per finding, most severe first, each within MAX_WIDTH columns:
 *   "CRITICAL  host:disk:/  Filesystem almost full: disk.usedPercent = 96.4% (threshold 95%)"
 */
export function renderFindingLines(report: Report, color: boolean): string[] {
  const chalk = palette(color);
  return bySeverity(report.findings).map((finding) => {
    const label = SEVERITY_LABEL[finding.severity];
    const rest = `  ${oneLine(finding.subject)}  ${oneLine(finding.title)}: ${formatEvidence(finding)}`;
    // truncate the plain text first so the escape codes never count against the width
    return `${paintSeverity(chalk, finding.severity, label)}${truncate(rest, MAX_WIDTH - label.length)}`;
  });
}
