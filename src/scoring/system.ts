import type { SystemMetrics } from '../contracts/system.js';
import type { Thresholds } from '../contracts/thresholds.js';
import { ALWAYS_FULL_FILESYSTEMS } from '../rules/levels.js';
import { bandScore } from './bands.js';

/**
 * The system component from the specification's "System Resources" inputs: CPU,
 * memory and disk, plus load per core (the spec's fourth resource row). Each is
 * scored on its threshold row and the component is their mean; the worst mount
 * stands for the disk.
 */
export function systemScore(system: SystemMetrics, thresholds: Thresholds): { score: number; inputs: Record<string, number> } {
  const inputs: Record<string, number> = {};
  const cpu = system.cpu.totalPercent.value;
  if (cpu !== null) inputs.cpu = bandScore(cpu, { ...thresholds.cpu, ceiling: 100 });
  const memory = system.memory.usedPercent.value;
  if (memory !== null) inputs.memory = bandScore(memory, { ...thresholds.memory, ceiling: 100 });
  // read-only images (squashfs snaps, ISOs) are always 100 % full by design: not a disk to score
  const mounts = system.mounts.filter((mount) => !ALWAYS_FULL_FILESYSTEMS.has(mount.fsType) && mount.usedPercent.value !== null);
  const worstDisk = Math.max(...mounts.map((mount) => mount.usedPercent.value ?? 0), 0);
  if (mounts.length > 0) inputs.disk = bandScore(worstDisk, { ...thresholds.disk, ceiling: 100 });
  const load = system.load.load5PerCore.value;
  // ceiling: a load of 3x the cores means most runnable work is queueing
  if (load !== null) inputs.loadPerCore = bandScore(load, { ...thresholds.loadPerCore, ceiling: thresholds.loadPerCore.critical * 1.5 });
  const values = Object.values(inputs);
  const score = values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
  return { score, inputs };
}
