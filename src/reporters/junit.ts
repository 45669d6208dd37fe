/**
 * JUnit XML, the shape GitLab, Jenkins, CircleCI and Azure DevOps read: one <testsuite>, each
 * rule evaluated is a <testcase> (classname perf-analyze.<subject kind>), a rule with findings
 * at or above --fail-on has one <failure> listing each of them with its evidence, a rule that
 * was not applicable is <skipped>, a rule that threw is <error>, and findings below --fail-on go to
 * <system-out>. Pure.
 */
import { SEVERITY_RANK, type Finding } from '../contracts/finding.js';
import type { Report } from '../contracts/report.js';
import type { RenderContext, Reporter } from '../contracts/reporter.js';
import { formatEvidence, oneLine } from './format.js';

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 except the surrogates, U+FFFE and U+FFFF
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd]/gu;

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number) => `${name}="${xmlEscape(String(value))}"`;

function findingText(finding: Finding): string {
  return [
    `[${finding.severity}] ${oneLine(finding.subject)}: ${oneLine(finding.title)}`,
    `  ${oneLine(finding.message)}`,
    `  Evidence: ${formatEvidence(finding)}`,
    `  Recommendation: ${oneLine(finding.recommendation)}`,
  ].join('\n');
}

export function renderJunit(report: Report, failOn: NonNullable<RenderContext['failOn']> = 'critical'): string {
  const failing = (finding: Finding) => failOn !== 'none' && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
  const results = [...report.rules];
  // a finding of a rule without a result (should not happen) still gets its test case
  for (const finding of report.findings) {
    if (!results.some((result) => result.ruleId === finding.ruleId)) results.push({ ruleId: finding.ruleId, outcome: 'failed', findings: 0 });
  }
  let failures = 0;
  let skipped = 0;
  let errors = 0;
  const cases: string[] = [];
  for (const result of results) {
    const findings = report.findings.filter((finding) => finding.ruleId === result.ruleId);
    const kind = findings[0]?.subject.split(':')[0] ?? result.ruleId.split('-')[0] ?? 'rule';
    const open = `    <testcase ${attr('name', result.ruleId)} ${attr('classname', `perf-analyze.${kind}`)} time="0"`;
    const failed = findings.filter(failing);
    const below = findings.filter((finding) => !failing(finding));
    const body: string[] = [];
    if (failed.length > 0) {
      failures += 1;
      const first = failed[0]!;
      const message = `${failed.length} finding${failed.length === 1 ? '' : 's'} at or above ${failOn}: ${oneLine(first.subject)}: ${oneLine(first.title)}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}; ${formatEvidence(first)}`;
      body.push(`      <failure ${attr('message', message)} ${attr('type', first.severity)}>${xmlEscape(failed.map(findingText).join('\n\n'))}</failure>`);
    } else if (result.outcome === 'error') {
      errors += 1;
      body.push(`      <error ${attr('message', oneLine(result.reason ?? 'rule failed'))} type="rule-error"/>`);
    } else if (result.outcome === 'not-applicable') {
      skipped += 1;
      body.push(`      <skipped ${attr('message', `not applicable${result.reason ? `: ${oneLine(result.reason)}` : ''}`)}/>`);
    }
    if (below.length > 0) body.push(`      <system-out>${xmlEscape(below.map(findingText).join('\n\n'))}</system-out>`);
    cases.push(body.length === 0 ? `${open}/>` : [`${open}>`, ...body, '    </testcase>'].join('\n'));
  }
  const seconds = (report.durationMs / 1000).toFixed(3);
  const counts = `${attr('tests', results.length)} ${attr('failures', failures)} ${attr('errors', errors)} ${attr('skipped', skipped)} ${attr('time', seconds)}`;
  const properties = [
    ['health', String(report.scores.health)],
    ['assessment', report.assessment],
    ['failOn', failOn],
    ['schemaVersion', report.schemaVersion],
    ...(report.baseline ? [['baselineRegressions', String(report.baseline.summary.regressions)]] : []),
  ].map(([name, value]) => `      <property ${attr('name', name!)} ${attr('value', value!)}/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', 'perf-analyze')} ${counts}>`,
    `  <testsuite ${attr('name', `perf-analyze ${report.target.host}`)} ${counts} ${attr('timestamp', report.startedAt.slice(0, 19))} ${attr('hostname', report.environment.hostname)}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export const junitReporter: Reporter = {
  format: 'junit',
  filePrefix: 'performance_junit_',
  extension: '.xml',
  render: (report, context) => renderJunit(report, context.failOn),
};
