/**
 * GitHub Actions workflow commands for findings at or above --fail-on: ::error for critical,
 * ::warning for warning, ::notice for info. GitHub shows at most 10 annotations of each kind
 * per step, so at most that many are written, and one notice says how many were left out. Pure.
 */
import { SEVERITY_RANK, type Severity } from '../contracts/finding.js';
import type { Report } from '../contracts/report.js';
import { bySeverity, formatEvidence, oneLine } from './format.js';

/** GitHub's per-step display limit for each annotation level. */
export const ANNOTATIONS_PER_LEVEL = 10;
const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', warning: 'warning', info: 'notice' };

/** Escaping of the message part of a workflow command (actions/toolkit escapeData). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Escaping of a property value (actions/toolkit escapeProperty). */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderAnnotations(report: Report, failOn: Severity | 'none'): string[] {
  if (failOn === 'none') return [];
  const lines: string[] = [];
  const used: Record<string, number> = {};
  let omitted = 0;
  for (const finding of bySeverity(report.findings)) {
    if (SEVERITY_RANK[finding.severity] < SEVERITY_RANK[failOn]) continue;
    const level = LEVEL[finding.severity];
    if ((used[level] ?? 0) >= ANNOTATIONS_PER_LEVEL) {
      omitted += 1;
      continue;
    }
    used[level] = (used[level] ?? 0) + 1;
    const title = escapeProperty(`${oneLine(finding.subject)}: ${oneLine(finding.title)}`);
    const message = escapeData(`${oneLine(finding.message)}\nEvidence: ${formatEvidence(finding)}\nRecommendation: ${oneLine(finding.recommendation)}`);
    lines.push(`::${level} title=${title}::${message}`);
  }
  if (omitted > 0) lines.push(`::notice title=perf-analyze::${omitted} more finding${omitted === 1 ? '' : 's'} at or above ${failOn} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level); see the report`);
  return lines;
}
