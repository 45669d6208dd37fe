import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../src/contracts/report.js';
import { renderExecutiveSummary, textReporter } from '../../src/reporters/text.js';
import { buildFinding, buildPhases, buildReport } from '../support/report-fixture.js';

const ESC = '\u001b[';

function render(report: Report, color = false): string {
  return textReporter.render(report, { color, files: { json: 'reports/a.json', text: 'reports/a.txt' } });
}

function expectWithinWidth(output: string): void {
  const tooWide = output.split('\n').filter((line) => line.length > 100);
  expect(tooWide).toEqual([]);
}

/** The lines of one section, from its title to the next blank line. */
function section(output: string, title: string): string[] {
  const all = output.split('\n');
  const start = all.findIndex((line) => line.startsWith(title));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = all.indexOf('', start);
  return all.slice(start, end === -1 ? undefined : end);
}

describe('textReporter', () => {
  it('has the contract file name parts', () => {
    expect(textReporter.format).toBe('text');
    expect(textReporter.filePrefix).toBe('performance_executive_summary_');
    expect(textReporter.extension).toBe('.txt');
  });

  it('starts with a header naming the tool, version, host, start and duration', () => {
    const output = render(buildReport());
    expect(output.startsWith('PERFORMANCE ANALYSIS - EXECUTIVE SUMMARY\n')).toBe(true);
    expect(output).toMatch(/^Tool +perf-analyze 0\.1\.0 \(report schema 1\.0\.0\)$/m);
    expect(output).toMatch(/^Host +web-01 \(linux x64, 4 CPUs, 16\.0 GiB memory, Node v20\.20\.0\)$/m);
    expect(output).toMatch(/^Started +2025-08-06T14:30:22\.000Z$/m);
    expect(output).toMatch(/^Duration +5\.8 s$/m);
    expect(output).not.toMatch(/INTERRUPTED|partial/i);
    expect(output.endsWith('\n')).toBe(true);
  });

  it('says so when the run was interrupted', () => {
    const output = render(buildReport({ interrupted: true }));
    expect(output.split('\n')[0]).toBe('PERFORMANCE ANALYSIS - EXECUTIVE SUMMARY (PARTIAL)');
    expect(output).toMatch(/\*\*\* INTERRUPTED: .*partial report/);
  });

  it('gives the assessment, the health score and the component scores with their weights', () => {
    const output = render(buildReport());
    expect(output).toMatch(/^Overall assessment +POOR$/m);
    expect(output).toMatch(/^Health score +58\/100$/m);
    // with its reason when the report carries one
    const reasoned = render(buildReport({ assessmentReason: 'POOR: 1 critical finding (any critical finding caps the assessment at POOR); health 79/100' }));
    expect(reasoned).toMatch(/^Overall assessment +POOR: 1 critical finding \(any critical finding caps the assessment at POOR\);\n +health 79\/100$/m);
    expect(output).not.toContain('Performance score');
    expect(output).toMatch(/^Findings +1 critical, 3 warnings, 2 info; 4 recommendations$/m);
    expect(output).toMatch(/^system +58 +100% +35% +disk \/ at 96\.4%, swapping, load 1\.62 per core$/m);
    expect(output).toMatch(/^database +- +- +40% +not configured$/m);
    expect(output).toMatch(/^api +- +- +- +not configured$/m);
  });

  it('gives the performance score when there is one', () => {
    const base = buildReport();
    const output = render(buildReport({ scores: { ...base.scores, performance: 80.6 } }));
    expect(output).toMatch(/^Performance score +81\/100$/m);
  });

  it('lists the critical issue first, with its evidence and recommendation', () => {
    const output = render(buildReport());
    const critical = section(output, 'CRITICAL ISSUES');
    expect(critical).toEqual([
      'CRITICAL ISSUES (1)',
      '-------------------',
      '1. Filesystem almost full [host:disk:/] (system.disk-usage)',
      '   The filesystem mounted on / is 96.4% full (96.4 GiB of 100 GiB); writes will fail when it fills',
      '   up.',
      '   Evidence: disk.usedPercent = 96.4% (threshold 95%)',
      '   Recommendation: Free space on / (old logs, images, WAL archives) or grow the volume.',
    ]);
  });

  it('orders critical issues, then warnings, then info, whatever the order of the findings', () => {
    const report = buildReport();
    const output = render(buildReport({ findings: [...report.findings].reverse() }));
    const critical = output.indexOf('CRITICAL ISSUES (1)');
    const warnings = output.indexOf('WARNINGS (3)');
    const info = output.indexOf('INFO (2)');
    expect(critical).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(critical);
    expect(info).toBeGreaterThan(warnings);
    expect(output).toContain('Evidence: load.load5PerCore = 1.62 load/core (threshold 1.5 load/core)');
  });

  it('says "None." for a severity without findings', () => {
    const output = render(buildReport({ findings: [buildFinding({ severity: 'warning' })] }));
    expect(section(output, 'CRITICAL ISSUES')).toEqual(['CRITICAL ISSUES (0)', '-------------------', 'None.']);
    expect(output).not.toContain('INFO (');
  });

  it('gives info findings one line each', () => {
    const info = section(render(buildReport()), 'INFO');
    expect(info).toEqual([
      'INFO (2)',
      '--------',
      '- Memory above 85% [host:memory]: 86.9% of memory is in use (13.9 GiB of 16 GiB, 2.1 GiB available).',
      '- TCP retransmissions seen [host:tcp]: 0.21% of sent TCP segments were retransmitted during the w...',
    ]);
  });

  it('lists distinct recommendations, most severe first', () => {
    const recommendations = section(render(buildReport()), 'TOP RECOMMENDATIONS');
    expect(recommendations).toEqual([
      'TOP RECOMMENDATIONS',
      '-------------------',
      '1. [critical] Free space on / (old logs, images, WAL archives) or grow the volume.',
      '2. [warning]  Reduce memory use or add memory: set container memory limits and size database buffers',
      '              to the host. (2 findings)',
      '3. [warning]  Find the busiest processes (see topProcessesByCpu) and move background work off this',
      '              host.',
      '4. [info]     Watch the trend; plan more memory if usage keeps growing.',
    ]);
  });

  it('shows at most five recommendations and says how many more there are', () => {
    const findings = Array.from({ length: 8 }, (_, i) =>
      buildFinding({ severity: i < 2 ? 'info' : 'warning', recommendation: `Do thing number ${i}.` }),
    );
    const recommendations = section(render(buildReport({ findings })), 'TOP RECOMMENDATIONS');
    const numbered = recommendations.filter((line) => /^\d+\. /.test(line));
    expect(numbered).toHaveLength(5);
    // the warnings come before the info findings that were listed first
    expect(numbered[0]).toBe('1. [warning]  Do thing number 2.');
    expect(recommendations.at(-1)).toBe('... and 3 more in the JSON report.');
  });

  it('has a table of phases with status, duration, own cost and reason', () => {
    const phases = section(render(buildReport()), 'PHASES');
    expect(phases[2]).toMatch(/^phase +status +duration +own cpu +reason$/);
    expect(phases).toContain('system         ok          5.6 s   170 ms  -');
    expect(phases).toContain('docker         skipped      0 ms     0 ms  not configured');
    expect(phases.filter((line) => /^(docker|database|api) +skipped .* not configured$/.test(line))).toHaveLength(3);
    expect(phases).toHaveLength(2 + 2 + 7);
  });

  it('wraps a long phase reason inside the reason column', () => {
    const phases = buildPhases();
    const reason = 'connect ECONNREFUSED 10.0.0.7:5432 '.repeat(6).trim();
    phases[3] = { ...phases[3]!, status: 'error', reason };
    const output = render(buildReport({ phases }));
    expectWithinWidth(output);
    const table = section(output, 'PHASES');
    const start = table.findIndex((line) => line.startsWith('database'));
    const reasonColumn = table[2]!.indexOf('reason');
    expect(table[start + 1]!.slice(0, reasonColumn).trim()).toBe('');
    expect(table.join(' ').replace(/\s+/g, ' ')).toContain('ECONNREFUSED 10.0.0.7:5432 connect');
  });

  it('lists what was not measured, one line each', () => {
    const report = buildReport();
    const notMeasured = section(render(report), 'NOT MEASURED');
    expect(notMeasured.slice(2)).toEqual(report.notMeasured.map((line) => `- ${line}`));
  });

  it('lists a check that threw as not measured, with what it threw', () => {
    const report = buildReport({ rules: [{ ruleId: 'host-disk-space', outcome: 'error', findings: 0, reason: 'rule failed: boom' }] });
    const notMeasured = section(render(report), 'NOT MEASURED').join(' ').replace(/\s+/g, ' ');
    expect(notMeasured).toContain('check host-disk-space could not run (rule failed: boom): a bug in perf-analyze, please report it');
  });

  it('gives the key host numbers when system metrics are present', () => {
    const output = render(buildReport());
    expect(output).toMatch(/^CPU +47\.3% busy over 4 cores \(user 31\.8%, system 9\.6%, iowait 4\.1%, steal 0\.4%\)$/m);
    expect(output).toMatch(/^Load\/core +0\.78 \/ 1\.62 \/ 1\.48 \(1 \/ 5 \/ 15 min\)$/m);
    expect(output).toMatch(/^Memory +86\.9% used: 13\.9 GiB of 16\.0 GiB, 2\.1 GiB available$/m);
    // the fullest filesystem, not the first or the last
    expect(output).toMatch(/^Worst disk +\/ 96\.4% used of 100\.0 GiB \(\/dev\/nvme0n1p2, ext4\), inodes 31\.2% used$/m);
    expect(output).toMatch(/^Swap +412\.0 MiB used of 2\.0 GiB; 12\.4 pages\/s in, 38\.2 pages\/s out$/m);
  });

  it('leaves the host section out without system metrics, and says n/a for values not measured', () => {
    expect(render(buildReport({ metrics: {} }))).not.toContain('HOST (');

    const report = buildReport();
    report.metrics.system!.cpu.stealPercent.value = null;
    report.metrics.system!.mounts = [];
    const output = render(report);
    expect(output).toContain('steal n/a)');
    expect(output).toMatch(/^Worst disk +no filesystem was read$/m);
  });

  it("gives the profiler's own cost", () => {
    const cost = section(render(buildReport()), "PROFILER'S OWN COST");
    expect(cost[2]).toBe('wall 5.8 s, CPU 612 ms user + 119 ms system, peak RSS 86.0 MiB');
  });

  it('never writes an escape code, even when colour is allowed or a message carries one', () => {
    expect(render(buildReport(), true)).not.toContain(ESC);
    const tainted = buildFinding({
      title: '\u001b[31mred title\u001b[0m',
      message: 'docker said: \u001b[1;31mError\u001b[0m\tbad\u0007 thing\r\nsecond line',
      recommendation: 'restart \u001b]8;;http://x\u0007link\u001b]8;;\u0007 it',
    });
    const output = render(buildReport({ findings: [tainted], notMeasured: ['api: \u001b[33mtimeout\u001b[0m'] }), true);
    expect(output).not.toContain('\u001b');
    expect(output).not.toContain('\u0007');
    expect(output).not.toContain('\r');
    expect(output).toContain('1. red title [host:disk:/]');
    expect(output).toContain('docker said: Error bad thing');
    expect(output).toContain('Recommendation: restart link it');
    expect(output).toContain('- api: timeout');
  });

  it('keeps every line within 100 columns, wrapping long messages without losing words', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    const longWord = 'x'.repeat(250);
    const long = buildFinding({
      title: `A very long title ${'that goes on '.repeat(10)}`,
      subject: `postgres:index:public.${'very_long_table_name_'.repeat(6)}idx`,
      message: `${words.join(' ')} ${longWord} end`,
      recommendation: `Run ${'VACUUM (ANALYZE) '.repeat(12)}now.`,
      evidence: { metric: 'x'.repeat(120), value: 1, unit: 'ms', threshold: 0 },
    });
    const info = buildFinding({ severity: 'info', message: 'y '.repeat(200) });
    const output = render(
      buildReport({
        findings: [long, info],
        notMeasured: [`docker: ${'unreachable '.repeat(20)}`],
        target: { ...buildReport().target, host: 'h'.repeat(140) },
      }),
    );
    expectWithinWidth(output);
    const flat = output.replace(/\s+/g, ' ');
    expect(flat).toContain(words.join(' '));
    expect(output.replace(/\s+/g, '')).toContain(`${longWord}end`);
    expect(flat).toContain('VACUUM (ANALYZE) now.');
  });

  it('is deterministic (no clock)', () => {
    expect(render(buildReport())).toBe(render(buildReport()));
  });
});

describe('executive summary: the cache section', () => {
  it('prints the key Redis numbers', async () => {
    const { buildRedisMetrics } = await import('../support/redis-fixture.js');
    const base = buildReport();
    const text = renderExecutiveSummary(buildReport({ metrics: { ...base.metrics, redis: buildRedisMetrics() } })).join('\n');
    expect(text).toContain('CACHE (Redis 7.0.15 standalone master at 127.0.0.1:6379 db 0');
    expect(text).toMatch(/Hit rate +96\.67% during the window \(6000 lookups\), 95\.1% since start/);
    expect(text).toMatch(/PING p50 0\.21 ms, p99 0\.9 ms/);
    expect(text).toMatch(/62\.5% of maxmemory 256\.0 MiB, policy allkeys-lru/);
    expect(text).toMatch(/Queue emails +bullmq: backlog 12 -> 12/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('says when Redis was not analysed', async () => {
    const { buildRedisMetrics } = await import('../support/redis-fixture.js');
    const base = buildReport();
    const redis = buildRedisMetrics((r) => Object.assign(r, { reachable: false, server: null, error: 'connect ECONNREFUSED 127.0.0.1:6379' }));
    const text = renderExecutiveSummary(buildReport({ metrics: { ...base.metrics, redis } })).join('\n');
    expect(text).toMatch(/Not analysed: connect ECONNREFUSED/);
  });
});

describe('load-test section', () => {
  it('shows throughput and p95 per level, the knee and the open-model corrected and as-sent p99', async () => {
    const { buildLoadMetrics } = await import('../support/load-fixture.js');
    const base = buildReport();
    const text = textReporter.render(buildReport({ metrics: { ...base.metrics, load: buildLoadMetrics() } }), { color: false, files: {} });
    expect(text).toContain('LOAD TEST (http://127.0.0.1:8000/; GET /health, GET /api/v1/items)');
    expect(text).toMatch(/^\s+100\s+2,000\s+30\.0\s+60\.0\s+90\.0\s+120\.0\s+0\s+30 %$/m);
    expect(text.replace(/\n/g, ' ')).toContain('Capacity: about 2,000 requests/s within the SLO at 100 connections; at 200 connections throughput grew only 2.5 %');
    expect(text).toMatch(/^\s+100\s+100\s+3\.00\s+6\.00\s+9\.00\s+8\.00\s+95\s+0\s+0$/m);
    expect(text).toContain('Not run: GET /api/v1/user/profile: needs the login token');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('the plan step in the summary', () => {
  it('says how the advice was checked and names the index with its planner costs', async () => {
    const { healthyPostgres } = await import('../support/postgres-fixture.js');
    const base = buildReport();
    const postgres = healthyPostgres((p) => {
      p.databases[0]!.queryPlans = {
        hypopg: true,
        explainAnalyze: false,
        totalMs: 3862,
        windowTotalMs: 0,
        statements: [],
        advice: [
          { table: 'public.shop_orders', columns: ['customer_ref'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref)', status: 'verified', statements: [{ queryId: '77', costBefore: 8900, costAfter: 12 }], sizeBytes: 9_000_000, estimatedRows: null },
          { table: 'public.pairs', columns: ['a'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.pairs (a)', status: 'rejected', statements: [{ queryId: '78', costBefore: 100, costAfter: 90 }], sizeBytes: 1, estimatedRows: null },
        ],
        skipped: [],
        durationMs: 100,
      };
    });
    const output = render(buildReport({ metrics: { ...base.metrics, postgres } })).replace(/\n {2,}/g, ' ');
    expect(output).toContain('verified with HypoPG (hypothetical indexes); CREATE INDEX CONCURRENTLY ON public.shop_orders (customer_ref) (planner cost 8900 -> 12)');
    expect(output).not.toContain('public.pairs (a)');
  });
});
