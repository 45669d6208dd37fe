import type { CollectorOptions, CollectorResult } from '../../contracts/collector.js';
import type { MountMetrics, SystemMetrics } from '../../contracts/system.js';
import type { Clock } from '../../ports/clock.js';
import type { HostPort } from '../../ports/host.js';
import { cpuMetrics, unmeasuredCpuMetrics } from './cpu.js';
import { diskIoMetrics } from './disks.js';
import { fileHandleMetrics } from './file-handles.js';
import { loadMetrics } from './load.js';
import { memoryMetrics, oomKillsDuringWindow, vmstatHasOomKill } from './memory.js';
import { mountMetrics, parseProcMounts, selectLocalFileSystems, type MountEntry } from './mounts.js';
import { networkMetrics, tcpMetrics } from './network.js';
import { pressureMetrics } from './pressure.js';
import { commandFromCmdline, processUsage, topProcesses, toProcessSample, type ProcessUsage } from './processes.js';
import { takeCounterSample, type CounterSample } from './sample.js';
import { errorMessage } from '../../shared/errors.js';

export interface SystemCollectorPorts {
  host: HostPort;
  clock: Clock;
}

export interface SystemCollectorOptions extends CollectorOptions {
  /** length of the window between the two counter samples */
  sampleSeconds: number;
}

/** how many processes each top list holds */
export const TOP_PROCESS_COUNT = 5;
/** how long to wait for statfs on one mount before giving up on it (hung network mounts) */
export const STATFS_TIMEOUT_MS = 2000;

/**
 * The system phase: reads the host's counters twice, `sampleSeconds` apart, and reports
 * utilisation, saturation and errors over that window plus point-in-time gauges read at
 * its end. If the signal aborts during the window, the second sample is taken at once
 * and the result is marked partial. What cannot be read becomes null with a line in
 * `notes`; this never throws for a missing file.
 */
export async function collectSystem(
  ports: SystemCollectorPorts,
  options: SystemCollectorOptions,
): Promise<CollectorResult<SystemMetrics>> {
  const { host, clock } = ports;
  const info = host.hostInfo();
  const notes: string[] = [];
  const unreadable = (path: string, what: string): void => {
    const why = info.platform === 'linux' ? 'unreadable' : `absent (platform ${info.platform})`;
    notes.push(`${path} ${why}: ${what} not measured`);
  };

  const targetMs = Math.max(0, options.sampleSeconds * 1000);
  const first = await takeCounterSample(host, clock);
  // sleep for what is left of the window after the first reading
  await clock.sleep(Math.max(0, targetMs - (clock.monotonicMs() - first.atMs)), options.signal);
  const second = await takeCounterSample(host, clock);
  const windowMs = Math.round(second.atMs - first.atMs);
  const cutShort = options.signal.aborted && windowMs < targetMs;

  const both = (pick: (sample: CounterSample) => string | null): [string, string] | null => {
    const before = pick(first);
    const after = pick(second);
    return before === null || after === null ? null : [before, after];
  };

  // CPU and load
  const stat = both((s) => s.stat);
  const cpu = stat === null ? null : cpuMetrics(stat[0], stat[1], windowMs);
  if (cpu === null) unreadable('/proc/stat', 'CPU');
  const cores = cpu !== null && cpu.cores > 0 ? cpu.cores : info.cpuCount;
  const loadavg = await host.readText('/proc/loadavg');
  if (loadavg === null) unreadable('/proc/loadavg', 'load average');

  // memory, swap, OOM kills
  const meminfo = await host.readText('/proc/meminfo');
  if (meminfo === null) unreadable('/proc/meminfo', 'memory');
  if (first.vmstat === null || second.vmstat === null) unreadable('/proc/vmstat', 'swap traffic and OOM kills');
  else if (!vmstatHasOomKill(second.vmstat)) {
    notes.push('oom_kill absent from /proc/vmstat (kernel older than 4.13): OOM kills not counted');
  }

  // disks
  const diskstats = both((s) => s.diskstats);
  if (diskstats === null) unreadable('/proc/diskstats', 'disk I/O');
  const blockDevices = await host.listDirectory('/sys/block');
  const diskIo =
    diskstats === null
      ? []
      : diskIoMetrics(diskstats[0], diskstats[1], windowMs, blockDevices === null ? null : new Set(blockDevices));
  const mounts = await measureMounts(host, notes, unreadable);

  // network
  const netDev = both((s) => s.netDev);
  if (netDev === null) unreadable('/proc/net/dev', 'network interfaces');
  const snmp = both((s) => s.snmp);
  const tcp = snmp === null ? null : tcpMetrics(snmp[0], snmp[1], windowMs);
  if (tcp === null) unreadable('/proc/net/snmp', 'TCP retransmits');

  // saturation: pressure stall information
  const pressure = pressureMetrics(
    await host.readText('/proc/pressure/cpu'),
    await host.readText('/proc/pressure/memory'),
    await host.readText('/proc/pressure/io'),
  );
  if (pressure === null) {
    notes.push(
      info.platform === 'linux'
        ? '/proc/pressure absent (kernel without CONFIG_PSI, or booted with psi=0): pressure stall not measured'
        : `/proc/pressure absent (platform ${info.platform}): pressure stall not measured`,
    );
  }

  const fileNr = await host.readText('/proc/sys/fs/file-nr');
  if (fileNr === null) unreadable('/proc/sys/fs/file-nr', 'file handles');

  // processes
  let topByCpu: SystemMetrics['topProcessesByCpu'] = [];
  let topByMemory: SystemMetrics['topProcessesByMemory'] = [];
  if (first.processStats === null || second.processStats === null) {
    unreadable('/proc', 'processes');
  } else {
    const usage = processUsage(first.processStats, second.processStats, windowMs, host.clockTicksPerSecond, host.pageSizeBytes());
    const top = topProcesses(usage, TOP_PROCESS_COUNT);
    const commands = await readCommands(host, [...top.byCpu, ...top.byMemory]);
    topByCpu = top.byCpu.map((candidate) => toProcessSample(candidate, commands.get(candidate.pid) ?? `[${candidate.name}]`));
    topByMemory = top.byMemory.map((candidate) => toProcessSample(candidate, commands.get(candidate.pid) ?? `[${candidate.name}]`));
  }

  const data: SystemMetrics = {
    hostname: info.hostname,
    platform: info.platform,
    kernel: info.kernel,
    uptimeSeconds: info.uptimeSeconds,
    windowMs,
    cpu: cpu ?? unmeasuredCpuMetrics(cores, windowMs),
    load: loadMetrics(loadavg, cores),
    memory: memoryMetrics(meminfo, first.vmstat, second.vmstat, windowMs),
    mounts,
    diskIo,
    network: netDev === null ? [] : networkMetrics(netDev[0], netDev[1], windowMs),
    tcp,
    pressure,
    oomKillsDuringWindow: oomKillsDuringWindow(first.vmstat, second.vmstat, windowMs),
    fileHandles: fileHandleMetrics(fileNr),
    topProcessesByCpu: topByCpu,
    topProcessesByMemory: topByMemory,
    notes,
  };
  return cutShort ? { data, partial: `sampling window cut short to ${windowMs} ms by interrupt` } : { data };
}

/** Space and inodes of each local, real filesystem: /proc/mounts, or systeminformation where there is none. */
async function measureMounts(
  host: HostPort,
  notes: string[],
  unreadable: (path: string, what: string) => void,
): Promise<MountMetrics[]> {
  let entries: MountEntry[];
  const procMounts = await host.readText('/proc/mounts');
  if (procMounts !== null) {
    entries = parseProcMounts(procMounts);
  } else {
    try {
      entries = await host.listFileSystems();
    } catch (error) {
      unreadable('/proc/mounts', 'filesystems');
      notes.push(`listing filesystems failed: ${errorMessage(error)}`);
      return [];
    }
  }

  const { local, network } = selectLocalFileSystems(entries);
  if (network.length > 0) {
    notes.push(`network filesystems not measured: ${network.map((entry) => `${entry.mount} (${entry.fsType})`).join(', ')}`);
  }
  const stats = await Promise.all(local.map((entry) => host.statFileSystem(entry.mount, STATFS_TIMEOUT_MS)));
  const mounts: MountMetrics[] = [];
  local.forEach((entry, index) => {
    const stat = stats[index];
    if (stat === null || stat === undefined) {
      notes.push(`statfs failed or took over ${STATFS_TIMEOUT_MS} ms on ${entry.mount}: its space is not measured`);
    } else if (stat.sizeBytes > 0) {
      // a zero-sized filesystem is a kernel view the type list did not know: nothing to fill
      mounts.push(mountMetrics(entry, stat));
    }
  });
  return mounts;
}

/** Command lines of the few processes that made a top list, read once at the end. */
async function readCommands(host: HostPort, candidates: ProcessUsage[]): Promise<Map<number, string>> {
  const commands = new Map<number, string>();
  for (const candidate of candidates) {
    if (commands.has(candidate.pid)) continue;
    const cmdline = await host.readText(`/proc/${candidate.pid}/cmdline`);
    commands.set(candidate.pid, commandFromCmdline(cmdline, candidate.name));
  }
  return commands;
}
