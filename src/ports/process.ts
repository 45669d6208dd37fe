import os from 'node:os';

/** The profiler's own process: what it costs, and the machine it runs on. */
export interface ProcessMeter {
  cpuUsage(): { userMs: number; systemMs: number };
  rssBytes(): number;
  /** highest resident set size of this process so far */
  peakRssBytes(): number;
  environment(): { hostname: string; platform: string; arch: string; cpus: number; node: string; totalMemoryBytes: number };
}

export const realProcessMeter: ProcessMeter = {
  cpuUsage() {
    const usage = process.cpuUsage();
    return { userMs: usage.user / 1000, systemMs: usage.system / 1000 };
  },
  rssBytes: () => process.memoryUsage.rss(),
  // maxRSS is in kibibytes on Linux
  peakRssBytes: () => process.resourceUsage().maxRSS * 1024,
  environment: () => ({
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: os.availableParallelism(),
    node: process.version,
    totalMemoryBytes: os.totalmem(),
  }),
};
