import type { Clock } from '../../ports/clock.js';
import type { HostPort } from '../../ports/host.js';

/** The counters read at each end of the sampling window; null where a file could not be read. */
export interface CounterSample {
  /** monotonic ms when the reading started */
  atMs: number;
  stat: string | null;
  vmstat: string | null;
  diskstats: string | null;
  netDev: string | null;
  snmp: string | null;
  /** /proc/[pid]/stat text by pid; null when /proc could not be listed */
  processStats: Map<number, string> | null;
}

/**
 * Reads every two-sample counter once. Only /proc/[pid]/stat is read per process: it
 * carries the name, CPU ticks and RSS, so one read per process per sample is enough.
 */
export async function takeCounterSample(host: HostPort, clock: Clock): Promise<CounterSample> {
  const atMs = clock.monotonicMs();
  const stat = await host.readText('/proc/stat');
  const vmstat = await host.readText('/proc/vmstat');
  const diskstats = await host.readText('/proc/diskstats');
  const netDev = await host.readText('/proc/net/dev');
  const snmp = await host.readText('/proc/net/snmp');

  let processStats: Map<number, string> | null = null;
  const entries = await host.listDirectory('/proc');
  if (entries !== null) {
    processStats = new Map();
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      // a process may exit between the listing and the read: it is simply skipped
      const text = await host.readText(`/proc/${entry}/stat`);
      if (text !== null) processStats.set(Number(entry), text);
    }
  }
  return { atMs, stat, vmstat, diskstats, netDev, snmp, processStats };
}
