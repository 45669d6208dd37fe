import type { Metric } from './metric.js';

/** Facts the system collector gathers about the host (USE method: utilisation, saturation, errors). */
export interface CpuMetrics {
  /** 100 = every core busy */
  totalPercent: Metric;
  userPercent: Metric;
  systemPercent: Metric;
  iowaitPercent: Metric;
  stealPercent: Metric;
  perCore: Array<{ core: number; busyPercent: Metric }>;
  cores: number;
}

export interface LoadMetrics {
  load1: Metric;
  load5: Metric;
  load15: Metric;
  /** load1 / cores */
  load1PerCore: Metric;
  load5PerCore: Metric;
  load15PerCore: Metric;
}

export interface MemoryMetrics {
  totalBytes: Metric;
  usedBytes: Metric;
  availableBytes: Metric;
  /** (total - available) / total */
  usedPercent: Metric;
  swapTotalBytes: Metric;
  swapUsedBytes: Metric;
  /** pages swapped in / out per second over the window */
  swapInPagesPerSec: Metric;
  swapOutPagesPerSec: Metric;
}

export interface MountMetrics {
  mount: string;
  device: string;
  fsType: string;
  sizeBytes: Metric;
  usedBytes: Metric;
  usedPercent: Metric;
  /** null where the filesystem has no inode limit */
  inodesUsedPercent: Metric;
}

export interface DiskIoMetrics {
  device: string;
  readBytesPerSec: Metric;
  writeBytesPerSec: Metric;
  readOpsPerSec: Metric;
  writeOpsPerSec: Metric;
  /** average time per completed I/O (queue + service) over the window */
  awaitMs: Metric;
  /** share of the window the device had I/O in flight */
  utilisationPercent: Metric;
}

export interface NetworkInterfaceMetrics {
  iface: string;
  rxBytesPerSec: Metric;
  txBytesPerSec: Metric;
  rxPacketsPerSec: Metric;
  txPacketsPerSec: Metric;
  /** errors + drops as a share of packets over the window */
  errorPercent: Metric;
  dropPercent: Metric;
}

export interface TcpMetrics {
  outSegmentsPerSec: Metric;
  retransSegmentsPerSec: Metric;
  /** retransmitted / sent segments over the window */
  retransmitPercent: Metric;
}

/** /proc/pressure/<resource> "some avg10" (share of time some task stalled) */
export interface PressureMetrics {
  cpuSomeAvg10: Metric;
  memorySomeAvg10: Metric;
  ioSomeAvg10: Metric;
}

export interface ProcessSample {
  pid: number;
  name: string;
  command: string;
  /** CPU over the window; 100 = one core */
  cpuPercent: number;
  rssBytes: number;
}

export interface SystemMetrics {
  hostname: string;
  platform: string;
  kernel: string;
  uptimeSeconds: number;
  windowMs: number;
  cpu: CpuMetrics;
  load: LoadMetrics;
  memory: MemoryMetrics;
  mounts: MountMetrics[];
  diskIo: DiskIoMetrics[];
  network: NetworkInterfaceMetrics[];
  tcp: TcpMetrics | null;
  /** null where the kernel has no PSI (/proc/pressure absent) */
  pressure: PressureMetrics | null;
  /** oom_kill from /proc/vmstat over the window; null where the kernel does not count it */
  oomKillsDuringWindow: Metric;
  fileHandles: { allocated: Metric; max: Metric; usedPercent: Metric };
  topProcessesByCpu: ProcessSample[];
  topProcessesByMemory: ProcessSample[];
  /** what could not be read and why (e.g. "/proc/pressure absent") */
  notes: string[];
}
