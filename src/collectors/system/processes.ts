import type { ProcessSample } from '../../contracts/system.js';
import { round2 } from './counters.js';

/** The fields of /proc/[pid]/stat the collector needs (proc(5)). */
export interface ProcessStat {
  pid: number;
  /** comm: the executable name, at most 15 characters */
  name: string;
  utimeTicks: number;
  stimeTicks: number;
  /** start time after boot, in ticks: tells a reused pid from the process seen before */
  startTicks: number;
  rssPages: number;
}

/**
 * One /proc/[pid]/stat line. comm sits in parentheses and may itself hold spaces and
 * parentheses, so the fields are counted from the last ")".
 */
export function parseProcessStat(text: string): ProcessStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // Walk the space-separated fields up to field 24 instead of splitting all ~52 of them:
  // this runs for every process twice per window, so it is kept cheap.
  const fields: string[] = [];
  let start = close + 2; // field 3 (state) starts after ") "
  for (let number = 3; number <= 24 && start < text.length; number++) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    if (number === 14 || number === 15 || number === 22 || number === 24) fields.push(text.slice(start, end));
    start = end + 1;
  }
  const [utime, stime, startTime, rss] = fields.map(Number);
  const stat: ProcessStat = {
    pid: Number(text.slice(0, open)),
    name: text.slice(open + 1, close),
    utimeTicks: utime ?? NaN,
    stimeTicks: stime ?? NaN,
    startTicks: startTime ?? NaN,
    rssPages: rss ?? NaN,
  };
  const numbers = [stat.pid, stat.utimeTicks, stat.stimeTicks, stat.startTicks, stat.rssPages];
  return numbers.every(Number.isFinite) ? stat : null;
}

export interface ProcessUsage {
  pid: number;
  name: string;
  /** CPU over the window; 100 = one core */
  cpuPercent: number;
  rssBytes: number;
}

/**
 * CPU of every process alive at the end of the window, from the utime + stime ticks of
 * its two stat samples, and its resident memory at the end. A process that started
 * during the window (absent from the first sample, or its pid reused) is counted from
 * zero; one that exited is gone and not counted.
 */
export function processUsage(
  statsBefore: ReadonlyMap<number, string>,
  statsAfter: ReadonlyMap<number, string>,
  windowMs: number,
  ticksPerSecond: number,
  pageSizeBytes: number,
): ProcessUsage[] {
  const usage: ProcessUsage[] = [];
  for (const [pid, afterText] of statsAfter) {
    const after = parseProcessStat(afterText);
    if (after === null) continue;
    const beforeText = statsBefore.get(pid);
    let ticks: number;
    if (beforeText === afterText) {
      ticks = 0; // an idle process reads the same both times: no need to parse it twice
    } else {
      const before = beforeText === undefined ? null : parseProcessStat(beforeText);
      const sameProcess = before !== null && before.startTicks === after.startTicks;
      ticks = after.utimeTicks + after.stimeTicks - (sameProcess ? before.utimeTicks + before.stimeTicks : 0);
    }
    const cpuPercent = windowMs > 0 ? round2((Math.max(0, ticks) / ticksPerSecond / (windowMs / 1000)) * 100) : 0;
    usage.push({ pid, name: after.name, cpuPercent, rssBytes: after.rssPages * pageSizeBytes });
  }
  return usage;
}

/** The busiest processes by CPU (those that used any) and the largest by resident memory. */
export function topProcesses(usage: ProcessUsage[], limit: number): { byCpu: ProcessUsage[]; byMemory: ProcessUsage[] } {
  const byCpu = usage
    .filter((candidate) => candidate.cpuPercent > 0)
    .sort((a, b) => b.cpuPercent - a.cpuPercent || b.rssBytes - a.rssBytes)
    .slice(0, limit);
  const byMemory = usage
    .filter((candidate) => candidate.rssBytes > 0)
    .sort((a, b) => b.rssBytes - a.rssBytes || b.cpuPercent - a.cpuPercent)
    .slice(0, limit);
  return { byCpu, byMemory };
}

const MAX_COMMAND_LENGTH = 300;

/**
 * Secrets people put on command lines (DESIGN.md section 6: none may reach a report):
 * credentials in URLs, and the value after a flag or variable named like a secret.
 */
export function redactCommand(command: string): string {
  return command
    .replace(/(\b[a-z][\w+.-]*:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(\b[\w-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|auth)[\w-]*)(=|\s+)(?!-)(\S+)/gi, '$1$2***');
}

/**
 * The command line of a process from /proc/[pid]/cmdline (arguments separated by NUL),
 * redacted and shortened. Kernel threads have an empty cmdline: shown as "[name]", like ps.
 */
export function commandFromCmdline(cmdline: string | null, name: string): string {
  const command = (cmdline ?? '').split('\0').filter((argument) => argument !== '').join(' ').trim();
  if (command === '') return `[${name}]`;
  const redacted = redactCommand(command);
  return redacted.length > MAX_COMMAND_LENGTH ? `${redacted.slice(0, MAX_COMMAND_LENGTH - 1)}…` : redacted;
}

export function toProcessSample(usage: ProcessUsage, command: string): ProcessSample {
  return { pid: usage.pid, name: usage.name, command, cpuPercent: usage.cpuPercent, rssBytes: usage.rssBytes };
}
