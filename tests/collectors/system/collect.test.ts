import { describe, expect, it } from '@jest/globals';
import { collectSystem } from '../../../src/collectors/system/index.js';
import { fakeHost, type FakeHostSetup } from './fake-host.js';

// A 2-core Linux host over a 2 s window. Deltas: CPU busy 500 of 2000 ticks (25 %),
// 50 swap-ins, 1 OOM kill, sda 400 I/Os in 2400 ms with 1000 ms busy, eth0 +2 MB in,
// 2000 segments sent with 30 retransmitted, pid 10 +200 ticks (one core).
const stat = (user: number, idle: number, core0: [number, number], core1: [number, number]): string =>
  `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${core0[0]} 0 0 ${core0[1]} 0 0 0 0 0 0\ncpu1 ${core1[0]} 0 0 ${core1[1]} 0 0 0 0 0 0\n`;
const diskstats = (ios: number, ms: number, ticks: number): string =>
  `   8       0 sda ${ios} 0 ${ios * 8} ${ms} 0 0 0 0 0 ${ticks} 0\n   7       0 loop0 1 0 1 1 0 0 0 0 0 1 1\n`;
const netDev = (rxBytes: number, rxPackets: number): string =>
  `Inter-| Receive | Transmit\n face |bytes packets|bytes packets\n  eth0: ${rxBytes} ${rxPackets} 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n`;
const snmp = (out: number, retrans: number): string =>
  `Tcp: RtoAlgorithm OutSegs RetransSegs\nTcp: 1 ${out} ${retrans}\n`;
const pidStat = (pid: number, name: string, ticks: number, rssPages: number): string =>
  `${pid} (${name}) S 1 1 1 0 -1 0 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 100 1000 ${rssPages} 0\n`;
const psi = (avg10: number): string => `some avg10=${avg10} avg60=0.00 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n`;

function linuxHost(overrides: Partial<FakeHostSetup> = {}): FakeHostSetup {
  return {
    before: {
      '/proc/stat': stat(1000, 3000, [500, 1500], [500, 1500]),
      '/proc/vmstat': 'pswpin 100\npswpout 0\noom_kill 0\n',
      '/proc/diskstats': diskstats(1000, 5000, 10000),
      '/proc/net/dev': netDev(1_000_000, 1000),
      '/proc/net/snmp': snmp(10_000, 100),
      '/proc/10/stat': pidStat(10, 'postgres', 1000, 25_000),
      '/proc/11/stat': pidStat(11, 'redis-server', 50, 50_000),
    },
    after: {
      '/proc/stat': stat(1500, 4500, [700, 1800], [800, 2700]),
      '/proc/vmstat': 'pswpin 150\npswpout 0\noom_kill 1\n',
      '/proc/diskstats': diskstats(1400, 7400, 11000),
      '/proc/net/dev': netDev(3_000_000, 3000),
      '/proc/net/snmp': snmp(12_000, 130),
      '/proc/10/stat': pidStat(10, 'postgres', 1200, 25_000),
      '/proc/11/stat': pidStat(11, 'redis-server', 60, 50_000),
      '/proc/10/cmdline': 'postgres\u0000-D\u0000/var/lib/postgresql\u0000',
      '/proc/11/cmdline': 'redis-server\u0000--requirepass\u0000hunter2\u0000',
    },
    common: {
      '/proc/loadavg': '3.00 2.00 1.00 1/100 999\n',
      '/proc/meminfo': 'MemTotal: 1000000 kB\nMemFree: 100000 kB\nMemAvailable: 250000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n',
      '/proc/pressure/cpu': psi(12.5),
      '/proc/pressure/memory': psi(0),
      '/proc/pressure/io': psi(3.25),
      '/proc/sys/fs/file-nr': '900\t0\t1000\n',
      '/proc/mounts': '/dev/sda1 / ext4 rw 0 0\ntmpfs /run tmpfs rw 0 0\nsrv:/x /mnt/x nfs4 rw 0 0\n',
    },
    directories: { '/proc': ['10', '11', 'self', 'stat'], '/sys/block': ['sda', 'loop0'] },
    fileSystems: { '/': { sizeBytes: 1000, usedBytes: 910, availableBytes: 90, inodesTotal: 100, inodesFree: 4 } },
    ...overrides,
  };
}

describe('collectSystem on a (fake) Linux host', () => {
  it('samples twice over the window and assembles every metric', async () => {
    const { host, clock, sleeps } = fakeHost(linuxHost());
    const { data, partial } = await collectSystem({ host, clock }, { sampleSeconds: 2, signal: new AbortController().signal });

    expect(partial).toBeUndefined();
    expect(sleeps).toEqual([2000]);
    expect(data.windowMs).toBe(2000);
    expect([data.hostname, data.platform, data.kernel, data.uptimeSeconds]).toEqual(['test-host', 'linux', '6.1.0-test', 3600]);
    expect(data.cpu.totalPercent).toEqual({ value: 25, unit: '%', sampling: 'delta', windowMs: 2000 });
    expect(data.cpu.perCore.map((core) => core.busyPercent.value)).toEqual([40, 20]);
    expect(data.cpu.cores).toBe(2);
    expect(data.load.load1PerCore.value).toBe(1.5);
    expect(data.memory.usedPercent.value).toBe(75);
    expect(data.memory.swapInPagesPerSec.value).toBe(25);
    expect(data.oomKillsDuringWindow.value).toBe(1);
    expect(data.diskIo.map((disk) => [disk.device, disk.awaitMs.value, disk.utilisationPercent.value])).toEqual([['sda', 6, 50]]);
    expect(data.mounts).toHaveLength(1);
    expect(data.mounts[0]?.mount).toBe('/');
    expect(data.mounts[0]?.usedPercent.value).toBe(91);
    expect(data.mounts[0]?.inodesUsedPercent.value).toBe(96);
    expect(data.network[0]?.rxBytesPerSec.value).toBe(1_000_000);
    expect(data.tcp?.retransmitPercent.value).toBe(1.5);
    expect(data.pressure?.cpuSomeAvg10.value).toBe(12.5);
    expect(data.pressure?.ioSomeAvg10.value).toBe(3.25);
    expect(data.fileHandles.usedPercent.value).toBe(90);
    expect(data.topProcessesByCpu).toEqual([
      { pid: 10, name: 'postgres', command: 'postgres -D /var/lib/postgresql', cpuPercent: 100, rssBytes: 102_400_000 },
      { pid: 11, name: 'redis-server', command: 'redis-server --requirepass ***', cpuPercent: 5, rssBytes: 204_800_000 },
    ]);
    expect(data.topProcessesByMemory.map((candidate) => candidate.pid)).toEqual([11, 10]);
    expect(data.notes).toEqual(['network filesystems not measured: /mnt/x (nfs4)']);
  });

  it('returns a partial result over the shorter window when interrupted', async () => {
    const controller = new AbortController();
    const { host, clock } = fakeHost(linuxHost({ abortAfterMs: 500, controller }));
    const { data, partial } = await collectSystem({ host, clock }, { sampleSeconds: 2, signal: controller.signal });

    expect(partial).toBe('sampling window cut short to 500 ms by interrupt');
    expect(data.windowMs).toBe(500);
    // the same deltas over a quarter of the time: four times the rates
    expect(data.memory.swapInPagesPerSec).toEqual({ value: 100, unit: 'pages/s', sampling: 'delta', windowMs: 500 });
    expect(data.topProcessesByCpu[0]?.cpuPercent).toBe(400);
    expect(data.cpu.totalPercent.value).toBe(25);
  });

  it('explains a kernel without PSI or an oom_kill counter in the notes', async () => {
    const setup = linuxHost();
    for (const phase of [setup.before, setup.after]) {
      if (phase) phase['/proc/vmstat'] = 'pswpin 0\npswpout 0\n';
    }
    for (const resource of ['cpu', 'memory', 'io']) delete setup.common?.[`/proc/pressure/${resource}`];
    const { host, clock } = fakeHost(setup);
    const { data } = await collectSystem({ host, clock }, { sampleSeconds: 1, signal: new AbortController().signal });

    expect(data.pressure).toBeNull();
    expect(data.oomKillsDuringWindow.value).toBeNull();
    expect(data.notes).toContain('oom_kill absent from /proc/vmstat (kernel older than 4.13): OOM kills not counted');
    expect(data.notes).toContain(
      '/proc/pressure absent (kernel without CONFIG_PSI, or booted with psi=0): pressure stall not measured',
    );
  });
});

describe('collectSystem off Linux', () => {
  it('returns null metrics with notes instead of failing', async () => {
    const { host, clock } = fakeHost({
      info: { platform: 'darwin', cpuCount: 8 },
      listedFileSystems: [
        { device: '/dev/disk3s1', fsType: 'apfs', mount: '/' },
        { device: 'devfs', fsType: 'devfs', mount: '/dev' },
      ],
      fileSystems: { '/': { sizeBytes: 2000, usedBytes: 500, availableBytes: 1500, inodesTotal: 0, inodesFree: 0 } },
    });
    const { data, partial } = await collectSystem({ host, clock }, { sampleSeconds: 0.5, signal: new AbortController().signal });

    expect(partial).toBeUndefined();
    expect(data.cpu.cores).toBe(8);
    expect(data.cpu.totalPercent.value).toBeNull();
    expect(data.load.load1.value).toBeNull();
    expect(data.memory.totalBytes.value).toBeNull();
    expect([data.diskIo, data.network, data.topProcessesByCpu]).toEqual([[], [], []]);
    expect([data.tcp, data.pressure]).toEqual([null, null]);
    expect(data.mounts.map((mount) => [mount.mount, mount.usedPercent.value, mount.inodesUsedPercent.value])).toEqual([['/', 25, null]]);
    expect(data.notes).toContain('/proc/stat absent (platform darwin): CPU not measured');
    expect(data.notes).toContain('/proc absent (platform darwin): processes not measured');
    expect(data.notes.length).toBeGreaterThanOrEqual(9);
  });
});
