import { describe, expect, it } from '@jest/globals';
import {
  commandFromCmdline,
  parseProcessStat,
  processUsage,
  redactCommand,
  topProcesses,
} from '../../../src/collectors/system/processes.js';

/** A /proc/[pid]/stat line with the given name, CPU ticks, start time and RSS pages. */
function statLine(pid: number, name: string, utime: number, stime: number, start: number, rssPages: number): string {
  return `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 4 0 ${start} 123456789 ${rssPages} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;
}

describe('parseProcessStat', () => {
  it('counts fields from the last parenthesis, so odd names parse', () => {
    expect(parseProcessStat(statLine(1234, 'my (weird) app', 150, 50, 5000, 2560))).toEqual({
      pid: 1234,
      name: 'my (weird) app',
      utimeTicks: 150,
      stimeTicks: 50,
      startTicks: 5000,
      rssPages: 2560,
    });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseProcessStat('')).toBeNull();
    expect(parseProcessStat('12 (x) S')).toBeNull();
  });
});

describe('processUsage and topProcesses', () => {
  // 2 s window at 100 ticks/s: 200 ticks = one full core = 100 %
  const before = new Map([
    [10, statLine(10, 'postgres', 100, 50, 1000, 1000)],
    [11, statLine(11, 'node', 10, 0, 1000, 50000)],
    [13, statLine(13, 'old', 900, 100, 1000, 10)],
    [14, statLine(14, 'exited', 0, 0, 1000, 10)],
    [15, statLine(15, 'kworker/0:1', 0, 0, 2, 0)],
  ]);
  const after = new Map([
    [10, statLine(10, 'postgres', 250, 100, 1000, 1000)], // +200 ticks: 100 %
    [11, statLine(11, 'node', 25, 5, 1000, 50000)], // +20: 10 %
    [12, statLine(12, 'new', 5, 5, 1500, 20)], // started in the window, 10 ticks: 5 %
    [13, statLine(13, 'reused', 30, 10, 1600, 30)], // pid reused, 40 ticks: 20 %
    [15, statLine(15, 'kworker/0:1', 0, 0, 2, 0)],
  ]);
  const usage = processUsage(before, after, 2000, 100, 4096);

  it('computes CPU over the window (100 = one core) and RSS in bytes', () => {
    const byPid = new Map(usage.map((entry) => [entry.pid, entry]));
    expect(byPid.get(10)).toEqual({ pid: 10, name: 'postgres', cpuPercent: 100, rssBytes: 4_096_000 });
    expect(byPid.get(11)?.cpuPercent).toBe(10);
    expect(byPid.get(12)?.cpuPercent).toBe(5);
    expect(byPid.get(13)?.cpuPercent).toBe(20);
    expect(byPid.has(14)).toBe(false);
  });

  it('ranks by CPU (busy ones only) and by memory (resident ones only)', () => {
    const top = topProcesses(usage, 3);
    expect(top.byCpu.map((candidate) => candidate.pid)).toEqual([10, 13, 11]);
    expect(top.byMemory.map((candidate) => candidate.pid)).toEqual([11, 10, 13]);
    expect(topProcesses(usage, 10).byCpu.some((candidate) => candidate.pid === 15)).toBe(false);
  });
});

describe('commands', () => {
  it('joins NUL-separated arguments and names kernel threads like ps', () => {
    expect(commandFromCmdline(['node', 'server.js', '--port', '3000', ''].join('\u0000'), 'node')).toBe('node server.js --port 3000');
    expect(commandFromCmdline('', 'kworker/0:1')).toBe('[kworker/0:1]');
    expect(commandFromCmdline(null, 'gone')).toBe('[gone]');
  });

  it('redacts credentials in URLs and values of secret-looking flags', () => {
    expect(redactCommand('worker --db postgres://app:s3cret@db:5432/app')).toBe('worker --db postgres://app:***@db:5432/app');
    expect(redactCommand('redis-server --requirepass hunter2 --port 6379')).toBe('redis-server --requirepass *** --port 6379');
    expect(redactCommand('app --api-key=abc123 --token xyz DB_PASSWORD=pw')).toBe('app --api-key=*** --token *** DB_PASSWORD=***');
  });

  it('shortens very long command lines', () => {
    expect(commandFromCmdline(['java', '-cp', 'x'.repeat(1000)].join('\u0000'), 'java')).toHaveLength(300);
  });
});
