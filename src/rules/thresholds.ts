/**
 * Default thresholds of every rule, each with its source (a row of
 * ../shared/SPEC-THRESHOLDS.md; "spec" = the original specification).
 * Users override any value under `thresholds:` in the config file.
 * `normal` is where the component score starts to fall; a finding is raised
 * above `info` / `warning` / `critical` (or below, for `direction: 'below'` rules).
 */
export const DEFAULT_THRESHOLDS = {
  /** % of all cores busy. spec: system resource baselines, CPU row (normal < 60, warning > 80, critical > 95) */
  cpu: { normal: 60, warning: 80, critical: 95 },
  /** % of CPU time waiting on I/O. Glances / Netdata: iowait > 10 % warning */
  iowait: { warning: 10 },
  /** % of CPU time stolen by the hypervisor. Glances / Netdata: steal > 10 % warning */
  steal: { warning: 10 },
  /** 5-minute load average per core. spec: load average row (normal < cores, warning > 1.5 x cores, critical > 2 x cores) */
  loadPerCore: { normal: 1, warning: 1.5, critical: 2 },
  /**
   * % of memory used (total - available). spec resource table: normal < 80, > 85 warning, > 95 critical;
   * spec alert table: > 98 critical. SPEC-THRESHOLDS: where they disagree the stricter (95) is the
   * warning and the looser (98) the critical; the resource table's 85 remains as an info finding.
   */
  memory: { normal: 80, info: 85, warning: 95, critical: 98 },
  /** pages swapped in + out per second during the window. node_exporter / USE method: any swap activity is memory saturation */
  swapPagesPerSec: { warning: 0 },
  /** OOM kills during the window. node_exporter alert rules (NodeOOMKillDetected): any is critical */
  oomKills: { critical: 0 },
  /** PSI "some avg10" %, per resource. Netdata / SPEC-THRESHOLDS host row: > 10 % warning */
  pressureSomeAvg10: { warning: 10 },
  /** % of a filesystem's space used. spec: disk usage row (normal < 85, warning > 90, critical > 95) */
  disk: { normal: 85, warning: 90, critical: 95 },
  /** % of a filesystem's inodes used. node_exporter alert rules: > 90 warning, > 95 critical */
  inodes: { warning: 90, critical: 95 },
  /** ms per completed I/O. Netdata / SPEC-THRESHOLDS host row: await > 20 ms warning, > 50 ms critical */
  diskAwaitMs: { warning: 20, critical: 50 },
  /** % of the window a device had I/O in flight. USE method / Netdata: > 80 % warning */
  diskUtilisation: { warning: 80 },
  /** network errors or drops as % of packets. node_exporter alert rules: > 1 % warning */
  networkErrorPercent: { warning: 1 },
  /** retransmitted TCP segments as % of sent. node_exporter alert rules: > 1 % warning */
  tcpRetransmitPercent: { warning: 1 },
  /** % of the kernel's file handle limit in use. node_exporter mixin (NodeFileDescriptorLimit): > 70 warning, > 90 critical */
  fileHandles: { warning: 70, critical: 90 },
  /**
   * % busy of a single core, checked only while all cores together are under cpu.normal (a single-threaded
   * bottleneck). Brendan Gregg, USE method (Linux performance checklist): check CPU utilisation per CPU
   * (mpstat -P ALL), since one hot CPU can point at one hot thread; 95 = the spec's CPU critical level, per core.
   */
  cpuCoreBusy: { info: 95 },
  /** % of a container's CPU limit (--cpus, quota, cpuset) used, 100 % = the limit. spec CPU row (warning > 80, critical > 95) applied to the container's limit; CPU % computed as SPEC-THRESHOLDS Containers row (docker stats) */
  containerCpu: { warning: 80, critical: 95 },
  /** % of a container's memory limit in its working set (usage - inactive file). SPEC-THRESHOLDS Containers row (docker stats, cAdvisor): > 80 % warning, > 95 % critical */
  containerMemory: { warning: 80, critical: 95 },
  /** % of CFS periods in which a container was throttled. SPEC-THRESHOLDS Containers row (cAdvisor): > 25 % warning */
  containerThrottled: { warning: 25 },
  /** restarts of a container during the window. SPEC-THRESHOLDS Containers row: restart count rising is critical */
  containerRestarts: { critical: 0 },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends number ? number : Widen<T[K]> };
export type Thresholds = Widen<typeof DEFAULT_THRESHOLDS>;
export type ThresholdOverrides = { [K in keyof Thresholds]?: Partial<Thresholds[K]> };

/** Defaults with the user's overrides laid over them. */
export function mergeThresholds(overrides: ThresholdOverrides = {}): Thresholds {
  const merged = structuredClone(DEFAULT_THRESHOLDS) as unknown as Thresholds;
  for (const [key, value] of Object.entries(overrides)) {
    Object.assign(merged[key as keyof Thresholds], value);
  }
  return merged;
}
