import { describe, expect, it } from '@jest/globals';
import { renderConsoleBox, renderFindingLines } from '../../src/reporters/console.js';
import { buildFinding, buildReport } from '../support/report-fixture.js';

const ESC = '\u001b[';
const files = {
  json: 'reports/performance_analysis_report_20250806_143022.json',
  text: 'reports/performance_executive_summary_20250806_143022.txt',
};
const rule = '='.repeat(80);

describe('renderConsoleBox', () => {
  it('says why the assessment disagrees with the score, after the label', () => {
    const box = renderConsoleBox(buildReport({ assessmentReason: 'POOR: 1 critical finding (any critical finding caps the assessment at POOR); health 79/100' }), { color: false, files });
    expect(box).toContain('📊 Overall Assessment: POOR (1 critical finding (any critical finding caps the assessment at POOR); health 79/100)');
  });

  it('is the final box of the specification', () => {
    expect(renderConsoleBox(buildReport(), { color: false, files })).toBe(
      [
        rule,
        'PERFORMANCE ANALYSIS COMPLETE',
        rule,
        '📊 Overall Assessment: POOR',
        '📈 Health Score: 58/100',
        '🚨 Critical Issues: 1',
        '⚠️ Warnings: 3',
        '💡 Recommendations: 4',
        `📄 Detailed Report: ${files.json}`,
        `📋 Executive Summary: ${files.text}`,
        rule,
        '',
      ].join('\n'),
    );
  });

  it('adds the performance score when there is one, rounded', () => {
    const base = buildReport();
    const box = renderConsoleBox(buildReport({ scores: { ...base.scores, health: 86.6, performance: 79.4 } }), { color: false, files });
    expect(box).toContain('📈 Health Score: 87/100\n📈 Performance Score: 79/100\n🚨 Critical Issues');
  });

  it('says when the run was interrupted', () => {
    const box = renderConsoleBox(buildReport({ interrupted: true }), { color: false, files });
    expect(box.split('\n')[1]).toBe('PERFORMANCE ANALYSIS INTERRUPTED (partial report)');
    expect(box).not.toContain('COMPLETE');
  });

  it('leaves out the line of a file that was not written', () => {
    const box = renderConsoleBox(buildReport(), { color: false, files: { text: files.text } });
    expect(box).not.toContain('Detailed Report');
    expect(box).toContain(`📋 Executive Summary: ${files.text}`);
  });

  it('has no escape code without colour', () => {
    const box = renderConsoleBox(buildReport({ interrupted: true }), { color: false, files });
    expect(box).not.toContain(ESC);
  });

  it('colours the assessment and a non-zero critical count with colour', () => {
    const box = renderConsoleBox(buildReport(), { color: true, files });
    expect(box).toContain(ESC);
    expect(box).toContain('📊 Overall Assessment: \u001b[31m\u001b[1mPOOR');
    expect(box).toContain('🚨 Critical Issues: \u001b[31m\u001b[1m1');
    // with the codes removed the box is the plain one
    // eslint-disable-next-line no-control-regex
    expect(box.replace(/\u001b\[\d+m/g, '')).toBe(renderConsoleBox(buildReport(), { color: false, files }));
  });

  it('leaves a zero critical count uncoloured and a good assessment green', () => {
    const findings = [buildFinding({ severity: 'info' })];
    const box = renderConsoleBox(
      buildReport({ findings, assessment: 'GOOD', summary: { critical: 0, warning: 0, info: 1, recommendations: 1 } }),
      { color: true, files },
    );
    expect(box).toContain('🚨 Critical Issues: 0\n');
    expect(box).toContain('📊 Overall Assessment: \u001b[32m\u001b[1mGOOD');
  });

  it('cannot be coloured by an escape code hidden in a file path', () => {
    const box = renderConsoleBox(buildReport(), { color: false, files: { json: 'reports/\u001b[31mx.json' } });
    expect(box).not.toContain('\u001b');
    expect(box).toContain('📄 Detailed Report: reports/x.json');
  });
});

describe('renderFindingLines', () => {
  it('gives one line per finding, most severe first, with its evidence', () => {
    const report = buildReport();
    const lines = renderFindingLines(buildReport({ findings: [...report.findings].reverse() }), false);
    expect(lines).toHaveLength(report.findings.length);
    expect(lines[0]).toBe('CRITICAL  host:disk:/  Filesystem almost full: disk.usedPercent = 96.4% (threshold 95%)');
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['CRITICAL', 'WARNING', 'WARNING', 'WARNING', 'INFO', 'INFO']);
    expect(lines.at(-1)).toBe('INFO      host:memory  Memory above 85%: memory.usedPercent = 86.9% (threshold 85%)');
  });

  it('keeps each line within 100 columns and uncoloured without colour', () => {
    const lines = renderFindingLines(buildReport({ findings: [buildFinding({ title: 'long '.repeat(40) })] }), false);
    expect(lines[0]).toHaveLength(100);
    expect(lines[0]!.endsWith('...')).toBe(true);
    expect(lines.join('\n')).not.toContain(ESC);
  });

  it('colours the severity with colour', () => {
    const [line] = renderFindingLines(buildReport({ findings: [buildFinding()] }), true);
    expect(line!.startsWith('\u001b[31m\u001b[1mCRITICAL')).toBe(true);
  });
});
