/**
 * Small text helpers shared by the reporters: sanitising, numbers with units,
 * wrapping and aligned tables. Pure; no clock, no I/O.
 */
import type { Finding, Severity } from '../contracts/finding.js';
import { SEVERITY_RANK } from '../contracts/finding.js';
import type { Metric } from '../contracts/metric.js';
import { formatBytes } from '../shared/bytes.js';

/** Every line of the plain-text outputs fits in this many columns. */
export const MAX_WIDTH = 100;

// Text from the outside world (error messages, container or table names) may carry
// ANSI escapes or control characters; they must not colour or break our output.
// eslint-disable-next-line no-control-regex
const ANSI_CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const ANSI_OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The text without escape sequences or control characters; tabs become spaces, newlines stay. */
export function plain(text: string): string {
  return text.replace(ANSI_CSI, '').replace(ANSI_OSC, '').replace(/\t/g, ' ').replace(/\r\n?/g, '\n').replace(OTHER_CONTROLS, '');
}

/** Sanitised, with every run of whitespace (newlines included) made one space. */
export function oneLine(text: string): string {
  return plain(text).replace(/\s+/g, ' ').trim();
}

/** Cut to `width` columns, marking the cut with "...". */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 3) return text.slice(0, width);
  return `${text.slice(0, width - 3)}...`;
}

/**
 * Greedy word wrap to `width` columns. Paragraph breaks (newlines) are kept; a word
 * longer than the width (a URL, a query) is split hard so no line ever exceeds it.
 */
export function wrap(text: string, width: number): string[] {
  const safeWidth = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of plain(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w.length > 0)) {
      let rest = word;
      while (rest.length > 0) {
        const room = line.length === 0 ? safeWidth : safeWidth - line.length - 1;
        if (rest.length <= room) {
          line = line.length === 0 ? rest : `${line} ${rest}`;
          rest = '';
        } else if (line.length > 0) {
          lines.push(line);
          line = '';
        } else {
          // a word longer than a whole line: split it
          lines.push(rest.slice(0, safeWidth));
          rest = rest.slice(safeWidth);
        }
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * `label` followed by `text` wrapped within `width`, continuation lines indented under
 * the text: "   Recommendation: first words ...\n                   more words".
 */
export function hanging(label: string, text: string, width: number = MAX_WIDTH): string[] {
  const pad = ' '.repeat(label.length);
  return wrap(text, width - label.length).map((line, index) => `${index === 0 ? label : pad}${line}`.trimEnd());
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/**
 * An aligned table: header, a rule of dashes, one row per entry. When the table
 * would be wider than `maxWidth`, the last column wraps onto continuation lines.
 */
export function table(columns: Column[], rows: string[][], maxWidth: number = MAX_WIDTH): string[] {
  const gap = '  ';
  const cells = rows.map((row) => columns.map((_, i) => oneLine(row[i] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => (row[i] ?? '').length)));
  const last = columns.length - 1;
  const widthBeforeLast = widths.slice(0, last).reduce((sum, w) => sum + w + gap.length, 0);
  // the last column keeps its natural width when it fits, and at least 10 columns when it does not
  const lastWidth = Math.min(widths[last] ?? 0, Math.max(10, maxWidth - widthBeforeLast));
  widths[last] = lastWidth;

  const pad = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (values: string[]): string => values.map(pad).join(gap).trimEnd();

  const out = [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of cells) {
    const lastLines = wrap(row[last] ?? '', lastWidth);
    out.push(line([...row.slice(0, last), lastLines[0] ?? '']));
    for (const continuation of lastLines.slice(1)) {
      out.push(line([...columns.slice(0, last).map(() => ''), continuation]));
    }
  }
  return out;
}

/** A heading underlined with dashes. */
export function heading(title: string): string[] {
  return [title, '-'.repeat(title.length)];
}

/** Integers as they are; other numbers to at most two decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}

/** A duration for people: "850 ms", "12.3 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

/** A value with its unit: "96.4%", "12.5 ms", "1.2 GiB" (for unit "bytes"), "n/a" for null. */
export function formatValue(value: number | string | null, unit: string): string {
  if (value === null) return 'n/a';
  const cleanUnit = oneLine(unit);
  if (typeof value === 'string') return cleanUnit ? `${oneLine(value)} ${cleanUnit}` : oneLine(value);
  if (cleanUnit === 'bytes' || cleanUnit === 'B') return formatBytes(value);
  if (cleanUnit === '%') return `${formatNumber(value)}%`;
  return cleanUnit ? `${formatNumber(value)} ${cleanUnit}` : formatNumber(value);
}

export function formatMetric(metric: Metric): string {
  return formatValue(metric.value, metric.unit);
}

/** A share in [0, 1] as a whole percentage: 0.4 -> "40%". */
export function formatShare(share: number | undefined): string {
  return share === undefined ? '-' : `${Math.round(share * 100)}%`;
}

/** "disk.usedPercent = 96.4% (threshold 95%)" */
export function formatEvidence(finding: Finding): string {
  const { metric, value, unit, threshold } = finding.evidence;
  const measured = `${oneLine(metric)} = ${formatValue(value, unit)}`;
  return threshold === null ? measured : `${measured} (threshold ${formatValue(threshold, unit)})`;
}

/** Most severe first; findings of one severity keep the order the rules produced them in. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || a.index - b.index)
    .map((entry) => entry.finding);
}

/**
 * The diagnosis's root causes worth acting on (warning and critical), ordered by the time their fix
 * would save per request, whatever their severity: what every summary leads with (issue 8).
 */
export function rootCauses(findings: readonly Finding[]): Finding[] {
  return findings
    .filter((finding) => finding.ruleId === 'diagnosis-root-cause' && finding.severity !== 'info')
    .sort((a, b) => (b.estimatedSavingMsPerRequest ?? 0) - (a.estimatedSavingMsPerRequest ?? 0));
}

export interface Recommendation {
  text: string;
  severity: Severity;
  /** how many findings gave this recommendation */
  findings: number;
}

/**
 * Distinct recommendations (same text after whitespace is normalised), each with the
 * highest severity of the findings that gave it, most severe first.
 */
export function distinctRecommendations(findings: readonly Finding[]): Recommendation[] {
  const byText = new Map<string, Recommendation>();
  for (const finding of bySeverity(findings)) {
    const text = oneLine(finding.recommendation);
    if (text.length === 0) continue;
    const seen = byText.get(text);
    if (seen) {
      seen.findings += 1;
    } else {
      byText.set(text, { text, severity: finding.severity, findings: 1 });
    }
  }
  // insertion order already follows severity because the findings were sorted
  return [...byText.values()];
}
