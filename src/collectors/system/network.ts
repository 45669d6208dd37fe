import { delta, type Metric } from '../../contracts/metric.js';
import type { NetworkInterfaceMetrics, TcpMetrics } from '../../contracts/system.js';
import { counterDelta, percentOf, ratePerSecond } from './counters.js';

export interface InterfaceCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** /proc/net/dev: two header lines, then "iface: 16 counters" (rx then tx). */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const interfaces = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (fields.length < 16 || !fields.every(Number.isFinite)) continue; // header lines
    const n = (index: number): number => fields[index] ?? 0;
    interfaces.set(line.slice(0, colon).trim(), {
      rxBytes: n(0),
      rxPackets: n(1),
      rxErrors: n(2),
      rxDropped: n(3),
      txBytes: n(8),
      txPackets: n(9),
      txErrors: n(10),
      txDropped: n(11),
    });
  }
  return interfaces;
}

function neverUsed(counters: InterfaceCounters): boolean {
  return counters.rxPackets === 0 && counters.txPackets === 0 && counters.rxErrors === 0 && counters.txErrors === 0;
}

/**
 * Rates per interface over the window, and errors / drops as a share of the packets they
 * came with: errors / (packets + errors), so the share stays within 0-100 even when every
 * packet failed. Loopback gets rates but null shares (its errors say nothing about the
 * network). Interfaces that never carried a packet are left out.
 */
export function networkMetrics(netDevBefore: string, netDevAfter: string, windowMs: number): NetworkInterfaceMetrics[] {
  const before = parseNetDev(netDevBefore);
  const after = parseNetDev(netDevAfter);
  const metrics: NetworkInterfaceMetrics[] = [];
  for (const [iface, end] of after) {
    const start = before.get(iface);
    if (start === undefined || neverUsed(end)) continue;
    const rate = (pick: (c: InterfaceCounters) => number, unit: string): Metric =>
      delta(ratePerSecond(pick(start), pick(end), windowMs), unit, windowMs);
    const change = (pick: (c: InterfaceCounters) => number): number | null => counterDelta(pick(start), pick(end));
    const share = (pick: (c: InterfaceCounters) => number): Metric => {
      if (iface === 'lo') return delta(null, '%', windowMs);
      const failed = change(pick);
      const packets = change((c) => c.rxPackets + c.txPackets);
      return delta(failed === null || packets === null ? null : percentOf(failed, packets + failed), '%', windowMs);
    };
    metrics.push({
      iface,
      rxBytesPerSec: rate((c) => c.rxBytes, 'bytes/s'),
      txBytesPerSec: rate((c) => c.txBytes, 'bytes/s'),
      rxPacketsPerSec: rate((c) => c.rxPackets, 'packets/s'),
      txPacketsPerSec: rate((c) => c.txPackets, 'packets/s'),
      errorPercent: share((c) => c.rxErrors + c.txErrors),
      dropPercent: share((c) => c.rxDropped + c.txDropped),
    });
  }
  return metrics;
}

/** OutSegs and RetransSegs from the "Tcp:" header/value line pair of /proc/net/snmp. */
export function parseSnmpTcp(text: string): { outSegs: number; retransSegs: number } | null {
  const tcpLines = text.split('\n').filter((line) => line.startsWith('Tcp:'));
  const names = tcpLines[0]?.split(/\s+/).slice(1);
  const values = tcpLines[1]?.split(/\s+/).slice(1).map(Number);
  if (names === undefined || values === undefined) return null;
  const outSegs = values[names.indexOf('OutSegs')];
  const retransSegs = values[names.indexOf('RetransSegs')];
  if (outSegs === undefined || retransSegs === undefined || !Number.isFinite(outSegs) || !Number.isFinite(retransSegs)) {
    return null;
  }
  return { outSegs, retransSegs };
}

/**
 * TCP segments sent and retransmitted over the window. OutSegs excludes retransmissions,
 * so the share is RetransSegs / OutSegs, as in node_exporter's alert rules.
 * null when either sample lacks the Tcp lines.
 */
export function tcpMetrics(snmpBefore: string, snmpAfter: string, windowMs: number): TcpMetrics | null {
  const before = parseSnmpTcp(snmpBefore);
  const after = parseSnmpTcp(snmpAfter);
  if (before === null || after === null) return null;
  const sent = counterDelta(before.outSegs, after.outSegs);
  const retransmitted = counterDelta(before.retransSegs, after.retransSegs);
  return {
    outSegmentsPerSec: delta(ratePerSecond(before.outSegs, after.outSegs, windowMs), 'segments/s', windowMs),
    retransSegmentsPerSec: delta(ratePerSecond(before.retransSegs, after.retransSegs, windowMs), 'segments/s', windowMs),
    retransmitPercent: delta(percentOf(retransmitted, sent), '%', windowMs),
  };
}
