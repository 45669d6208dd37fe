import { describe, expect, it } from '@jest/globals';
import { networkMetrics, parseNetDev, parseSnmpTcp, tcpMetrics } from '../../../src/collectors/system/network.js';

const HEADER = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
`;
const NET_DEV_BEFORE = `${HEADER}    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0: 5000000   10000    0    0    0     0          0         0  2000000    8000    0    0    0     0       0          0
  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
`;
// over 2 s, eth0: +2,000,000 rx bytes, +990 rx packets, +1,000,000 tx bytes, +1000 tx packets, 100 errors, 40 drops
const NET_DEV_AFTER = `${HEADER}    lo:    3000      30    1    0    0     0          0         0     3000      30    0    0    0     0       0          0
  eth0:7000000   10990   50   40    0     0          0         0  3000000    9000   50    0    0     0       0          0
  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
`;

describe('parseNetDev', () => {
  it('reads rx and tx counters, also when the name touches the first number', () => {
    const interfaces = parseNetDev(NET_DEV_AFTER);
    expect([...interfaces.keys()]).toEqual(['lo', 'eth0', 'ifb0']);
    expect(interfaces.get('eth0')).toEqual({
      rxBytes: 7_000_000,
      rxPackets: 10990,
      rxErrors: 50,
      rxDropped: 40,
      txBytes: 3_000_000,
      txPackets: 9000,
      txErrors: 50,
      txDropped: 0,
    });
  });
});

describe('networkMetrics', () => {
  const network = networkMetrics(NET_DEV_BEFORE, NET_DEV_AFTER, 2000);

  it('leaves out interfaces that never carried a packet', () => {
    expect(network.map((entry) => entry.iface)).toEqual(['lo', 'eth0']);
  });

  it('computes rates and error / drop shares over the window', () => {
    const eth0 = network[1];
    expect(eth0?.rxBytesPerSec).toEqual({ value: 1_000_000, unit: 'bytes/s', sampling: 'delta', windowMs: 2000 });
    expect(eth0?.txBytesPerSec.value).toBe(500_000);
    expect(eth0?.rxPacketsPerSec).toEqual({ value: 495, unit: 'packets/s', sampling: 'delta', windowMs: 2000 });
    expect(eth0?.txPacketsPerSec.value).toBe(500);
    // 100 errors beside 1990 good packets: 100 / 2090; 40 drops: 40 / 2030
    expect(eth0?.errorPercent.value).toBe(4.78);
    expect(eth0?.dropPercent.value).toBe(1.97);
  });

  it('gives loopback rates but no error shares', () => {
    const lo = network[0];
    expect(lo?.rxBytesPerSec.value).toBe(1000);
    expect(lo?.errorPercent.value).toBeNull();
    expect(lo?.dropPercent.value).toBeNull();
  });

  it('has no share when no packet moved', () => {
    expect(networkMetrics(NET_DEV_AFTER, NET_DEV_AFTER, 2000)[1]?.errorPercent.value).toBeNull();
  });
});

const SNMP = (outSegs: number, retrans: number): string => `Ip: Forwarding DefaultTTL InReceives
Ip: 2 64 6302
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
Tcp: 1 200 120000 -1 92 38 11 5 2 6225 ${outSegs} ${retrans} 0 78 0
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 36 0 0 37 0 0 0 0 0
`;

describe('tcp', () => {
  it('finds OutSegs and RetransSegs by their header names', () => {
    expect(parseSnmpTcp(SNMP(10000, 50))).toEqual({ outSegs: 10000, retransSegs: 50 });
    expect(parseSnmpTcp('Ip: a\nIp: 1\n')).toBeNull();
  });

  it('computes segment rates and the retransmit share over the window', () => {
    const tcp = tcpMetrics(SNMP(10000, 50), SNMP(12000, 80), 2000);
    expect(tcp?.outSegmentsPerSec).toEqual({ value: 1000, unit: 'segments/s', sampling: 'delta', windowMs: 2000 });
    expect(tcp?.retransSegmentsPerSec.value).toBe(15);
    expect(tcp?.retransmitPercent.value).toBe(1.5);
  });

  it('has no retransmit share when nothing was sent', () => {
    expect(tcpMetrics(SNMP(10000, 50), SNMP(10000, 50), 2000)?.retransmitPercent.value).toBeNull();
  });
});
