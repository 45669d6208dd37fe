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
  /** p95 of /health, ms. spec: API response times, /health row (target < 50, warning > 200, critical > 500) */
  apiHealthMs: { normal: 50, warning: 200, critical: 500 },
  /** p95 of the login, ms. spec: API response times, login row (target < 300, warning > 1000, critical > 2000) */
  apiLoginMs: { normal: 300, warning: 1000, critical: 2000 },
  /** p95 of the profile endpoint, ms. spec: API response times, profile row (target < 200, warning > 800, critical > 1500) */
  apiProfileMs: { normal: 200, warning: 800, critical: 1500 },
  /** p95 of dashboard endpoints, ms. spec: API response times, dashboard row (target < 500, warning > 2000, critical > 5000) */
  apiDashboardMs: { normal: 500, warning: 2000, critical: 5000 },
  /** p95 of any other endpoint, ms. spec: API response times, "any other endpoint" row (KPI p95 < 500, warning > 2000, critical > 5000) */
  apiOtherMs: { normal: 500, warning: 2000, critical: 5000 },
  /**
   * % of requests answered 5xx or not at all. spec KPI: success rate > 99.9 % (warning above 0.1 %);
   * critical above 1 %: issue 4's capacity criterion ("errors stay under 1 %").
   */
  apiErrorRatePercent: { warning: 0.1, critical: 1 },
  /** login + first authenticated request, p95, ms. spec KPI: authentication end to end < 300 ms */
  authEndToEndMs: { warning: 300 },
  /** password hashing as % of the login p50. Ours: "dominates" = more than half of the login's time */
  loginHashSharePercent: { info: 50 },
  /** access-token lifetime, s. OWASP JWT cheat sheet: access tokens short-lived; longer than a day is a warning */
  tokenLifetimeSeconds: { warning: 86_400 },
  /** token size, bytes. RFC 6265 section 6.1: user agents need only keep 4096-byte cookies; every request carries it */
  tokenSizeBytes: { info: 4096 },
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
