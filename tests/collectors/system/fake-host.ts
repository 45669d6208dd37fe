import type { Clock } from '../../../src/ports/clock.js';
import type { FileSystemEntry, FileSystemStat, HostInfo, HostPort } from '../../../src/ports/host.js';

/**
 * An in-memory host for the system collector: files read before the first sleep come from
 * `before`, files read after it from `after`, then from `common`. Its clock stands still
 * except in sleep, which advances it by the time slept (or by `abortAfterMs`, aborting
 * `controller`, to play a Ctrl-C during the window).
 */
export interface FakeHostSetup {
  before?: Record<string, string>;
  after?: Record<string, string>;
  common?: Record<string, string>;
  directories?: Record<string, string[]>;
  fileSystems?: Record<string, FileSystemStat>;
  listedFileSystems?: FileSystemEntry[];
  info?: Partial<HostInfo>;
  abortAfterMs?: number;
  controller?: AbortController;
}

export function fakeHost(setup: FakeHostSetup): { host: HostPort; clock: Clock; sleeps: number[] } {
  let nowMs = 10_000;
  let slept = false;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => new Date(nowMs),
    monotonicMs: () => nowMs,
    sleep: (ms) => {
      sleeps.push(ms);
      if (setup.abortAfterMs !== undefined && setup.abortAfterMs < ms) {
        nowMs += setup.abortAfterMs;
        setup.controller?.abort();
      } else {
        nowMs += ms;
      }
      slept = true;
      return Promise.resolve();
    },
  };
  const host: HostPort = {
    readText: (path) => {
      const phase = slept ? setup.after : setup.before;
      return Promise.resolve(phase?.[path] ?? setup.common?.[path] ?? null);
    },
    listDirectory: (path) => Promise.resolve(setup.directories?.[path] ?? null),
    statFileSystem: (mount) => Promise.resolve(setup.fileSystems?.[mount] ?? null),
    listFileSystems: () => Promise.resolve(setup.listedFileSystems ?? []),
    hostInfo: () => ({ hostname: 'test-host', platform: 'linux', kernel: '6.1.0-test', uptimeSeconds: 3600, cpuCount: 2, ...setup.info }),
    clockTicksPerSecond: 100,
    pageSizeBytes: () => 4096,
  };
  return { host, clock, sleeps };
}
