import { describe, expect, it } from '@jest/globals';
import { diskIoMetrics, parseDiskstats } from '../../../src/collectors/system/disks.js';
import { mountMetrics, parseProcMounts, selectLocalFileSystems } from '../../../src/collectors/system/mounts.js';

// fields: major minor name reads merged sectorsRead msReading writes merged sectorsWritten msWriting inFlight ioTicks weighted (+ discard, flush)
// sda over 2 s: 100 reads of 4096 sectors in 400 ms, 300 writes of 8192 sectors in 2000 ms, busy 1000 ms
const DISKSTATS_BEFORE = `   8       0 sda 1000 0 20000 3000 2000 0 40000 9000 0 5000 12000 0 0 0 0 0 0
   8       1 sda1 900 0 18000 2800 1900 0 38000 8800 0 4800 11600 0 0 0 0 0 0
   7       0 loop0 10 0 20 1 0 0 0 0 0 1 1 0 0 0 0 0 0
   8      16 sdb 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 259       0 nvme0n1 500 0 1000 100 500 0 1000 100 0 300 200
`;
const DISKSTATS_AFTER = `   8       0 sda 1100 0 24096 3400 2300 0 48192 11000 1 6000 14400 0 0 0 0 0 0
   8       1 sda1 1000 0 22096 3200 2200 0 46192 10800 1 5800 14000 0 0 0 0 0 0
   7       0 loop0 5010 0 20020 1 0 0 0 0 0 900 1 0 0 0 0 0 0
   8      16 sdb 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 259       0 nvme0n1 500 0 1000 100 500 0 1000 100 0 300 200
`;
const WHOLE_DISKS = new Set(['sda', 'sdb', 'loop0', 'nvme0n1']);

describe('parseDiskstats', () => {
  it('reads the counters of each line, old 14-field lines included', () => {
    const disks = parseDiskstats(DISKSTATS_BEFORE);
    expect(disks.get('sda')).toEqual({
      readsCompleted: 1000,
      sectorsRead: 20000,
      msReading: 3000,
      writesCompleted: 2000,
      sectorsWritten: 40000,
      msWriting: 9000,
      ioTicksMs: 5000,
    });
    expect(disks.get('nvme0n1')?.ioTicksMs).toBe(300);
  });
});

describe('diskIoMetrics', () => {
  const disks = diskIoMetrics(DISKSTATS_BEFORE, DISKSTATS_AFTER, 2000, WHOLE_DISKS);

  it('keeps whole, used, real disks only', () => {
    expect(disks.map((disk) => disk.device)).toEqual(['sda', 'nvme0n1']);
  });

  it('computes throughput, IOPS, await and utilisation over the window', () => {
    const sda = disks[0];
    expect(sda?.readBytesPerSec).toEqual({ value: 1_048_576, unit: 'bytes/s', sampling: 'delta', windowMs: 2000 });
    expect(sda?.writeBytesPerSec.value).toBe(2_097_152);
    expect(sda?.readOpsPerSec).toEqual({ value: 50, unit: 'ops/s', sampling: 'delta', windowMs: 2000 });
    expect(sda?.writeOpsPerSec.value).toBe(150);
    // (400 + 2000) ms over 400 completed I/Os
    expect(sda?.awaitMs).toEqual({ value: 6, unit: 'ms', sampling: 'delta', windowMs: 2000 });
    expect(sda?.utilisationPercent.value).toBe(50);
  });

  it('has no await for an idle disk, and 0 % utilisation', () => {
    const nvme = disks[1];
    expect(nvme?.awaitMs.value).toBeNull();
    expect(nvme?.utilisationPercent.value).toBe(0);
    expect(nvme?.readBytesPerSec.value).toBe(0);
  });

  it('recognises partitions by name when /sys/block cannot be listed', () => {
    expect(diskIoMetrics(DISKSTATS_BEFORE, DISKSTATS_AFTER, 2000, null).map((disk) => disk.device)).toEqual(['sda', 'nvme0n1']);
  });

  it('caps utilisation at 100 % (io_ticks moves in jiffies)', () => {
    expect(diskIoMetrics(DISKSTATS_BEFORE, DISKSTATS_AFTER, 900, WHOLE_DISKS)[0]?.utilisationPercent.value).toBe(100);
  });

  it('reports null rates when the counters went backwards', () => {
    const reset = diskIoMetrics(DISKSTATS_AFTER, DISKSTATS_BEFORE, 2000, WHOLE_DISKS)[0];
    expect(reset?.readBytesPerSec.value).toBeNull();
    expect(reset?.awaitMs.value).toBeNull();
  });
});

const PROC_MOUNTS = `proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw,relatime 0 0
/dev/sda1 /etc/hosts ext4 rw,relatime 0 0
/dev/sda1 / ext4 rw,relatime 0 0
tmpfs /dev/shm tmpfs rw,relatime 0 0
overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime 0 0
/dev/loop3 /snap/core/1 squashfs ro 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/my\\040data xfs rw 0 0
`;

describe('mounts', () => {
  it('decodes the octal escapes of /proc/mounts', () => {
    expect(parseProcMounts(PROC_MOUNTS).at(-1)).toEqual({ device: '/dev/sdb1', mount: '/mnt/my data', fsType: 'xfs' });
  });

  it('keeps real local filesystems, one per device, and sets network ones apart', () => {
    const { local, network } = selectLocalFileSystems(parseProcMounts(PROC_MOUNTS));
    expect(local.map((entry) => `${entry.device} ${entry.mount}`)).toEqual(['/dev/sda1 /', '/dev/sdb1 /mnt/my data']);
    expect(network).toEqual([{ device: 'server:/export', mount: '/mnt/nfs', fsType: 'nfs4' }]);
  });

  it('computes df-style used % and inode use', () => {
    const entry = { device: '/dev/sda1', mount: '/', fsType: 'ext4' };
    // 50 bytes reserved for root: 1000 = 600 used + 350 available + 50 reserved
    const metrics = mountMetrics(entry, { sizeBytes: 1000, usedBytes: 600, availableBytes: 350, inodesTotal: 1000, inodesFree: 100 });
    expect(metrics.sizeBytes).toEqual({ value: 1000, unit: 'bytes', sampling: 'gauge' });
    expect(metrics.usedBytes.value).toBe(600);
    expect(metrics.usedPercent.value).toBe(63.16);
    expect(metrics.inodesUsedPercent).toEqual({ value: 90, unit: '%', sampling: 'gauge' });
  });

  it('has no inode share where the filesystem has no inode limit', () => {
    const entry = { device: '/dev/sdc', mount: '/data', fsType: 'btrfs' };
    const metrics = mountMetrics(entry, { sizeBytes: 1000, usedBytes: 500, availableBytes: 500, inodesTotal: 0, inodesFree: 0 });
    expect(metrics.inodesUsedPercent.value).toBeNull();
    expect(metrics.usedPercent.value).toBe(50);
  });
});
