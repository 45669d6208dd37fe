import { gauge } from '../../contracts/metric.js';
import type { MountMetrics } from '../../contracts/system.js';
import type { FileSystemStat } from '../../ports/host.js';
import { percentOf } from './counters.js';

export interface MountEntry {
  device: string;
  mount: string;
  fsType: string;
}

/** Filesystems that hold no disk space of their own (kernel views, memory, layers, read-only images). */
const PSEUDO_FS_TYPES = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devfs', 'devpts', 'devtmpfs',
  'efivarfs', 'erofs', 'fusectl', 'fuse.gvfsd-fuse', 'fuse.lxcfs', 'fuse.portal', 'fuse.snapfuse', 'hugetlbfs',
  'iso9660', 'mqueue', 'nfsd', 'nsfs', 'overlay', 'aufs', 'proc', 'pstore', 'ramfs', 'rootfs', 'rpc_pipefs',
  'securityfs', 'selinuxfs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs', 'udf', 'cramfs', 'zram',
]);

/** Remote filesystems: statfs on them can hang on a dead server, and their space is another host's. */
const NETWORK_FS_TYPES = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ceph', 'glusterfs', 'lustre', '9p', 'afs', 'fuse.sshfs', 'fuse.rclone', 'fuse.s3fs',
]);

export function isPseudoFileSystem(fsType: string): boolean {
  return PSEUDO_FS_TYPES.has(fsType);
}

export function isNetworkFileSystem(fsType: string): boolean {
  return NETWORK_FS_TYPES.has(fsType);
}

/** /proc/mounts escapes space, tab, newline and backslash as octal (\040, \011, \012, \134). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseProcMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, fsType] = line.split(' ');
    if (device === undefined || mount === undefined || fsType === undefined) continue;
    entries.push({ device: unescapeMountField(device), mount: unescapeMountField(mount), fsType });
  }
  return entries;
}

/**
 * The mounts worth measuring: pseudo filesystems dropped, network filesystems set apart,
 * and one entry per device (bind mounts, e.g. a container's /etc/hosts, repeat their
 * device's usage), keeping the shortest mount path, in the order of first appearance.
 */
export function selectLocalFileSystems(entries: MountEntry[]): { local: MountEntry[]; network: MountEntry[] } {
  const network = entries.filter((entry) => isNetworkFileSystem(entry.fsType));
  const byDevice = new Map<string, MountEntry>();
  for (const entry of entries) {
    if (isPseudoFileSystem(entry.fsType) || isNetworkFileSystem(entry.fsType)) continue;
    const seen = byDevice.get(entry.device);
    if (seen === undefined) byDevice.set(entry.device, entry);
    else if (entry.mount.length < seen.mount.length) byDevice.set(entry.device, entry);
  }
  return { local: [...byDevice.values()], network };
}

/**
 * Space and inodes of one filesystem at the end of the window. usedPercent is df's:
 * used / (used + available to unprivileged users), so the root-reserved blocks count as full.
 */
export function mountMetrics(entry: MountEntry, stat: FileSystemStat): MountMetrics {
  const inodesUsed = stat.inodesTotal > 0 ? stat.inodesTotal - stat.inodesFree : null;
  return {
    mount: entry.mount,
    device: entry.device,
    fsType: entry.fsType,
    sizeBytes: gauge(stat.sizeBytes, 'bytes'),
    usedBytes: gauge(stat.usedBytes, 'bytes'),
    usedPercent: gauge(percentOf(stat.usedBytes, stat.usedBytes + stat.availableBytes), '%'),
    inodesUsedPercent: gauge(percentOf(inodesUsed, stat.inodesTotal), '%'),
  };
}
