import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import type { SystemMetrics } from '../../../src/contracts/system.js';
import { rule } from '../../../src/rules/host/host-network-errors.js';
import { brief, evaluate, onlyFinding, ruleContext, WITHOUT_SYSTEM, type RuleCase } from '../../support/system-fixture.js';

const nicAt = (iface: string, counters: { errorPercent?: number | null; dropPercent?: number | null }) => (system: SystemMetrics) => {
  const nic = system.network.find((candidate) => candidate.iface === iface);
  if (!nic) throw new Error(`no interface ${iface} in the fixture`);
  if (counters.errorPercent !== undefined) nic.errorPercent.value = counters.errorPercent;
  if (counters.dropPercent !== undefined) nic.dropPercent.value = counters.dropPercent;
};

const cases: RuleCase[] = [
  { name: 'healthy host: no finding', expected: [] },
  { name: 'errors just above warning', change: nicAt('eth0', { errorPercent: 1.01 }), expected: [{ subject: 'host:net:eth0', severity: 'warning', value: 1.01, threshold: 1 }] },
  { name: 'errors exactly at warning: no finding', change: nicAt('eth0', { errorPercent: 1 }), expected: [] },
  { name: 'drops above warning', change: nicAt('docker0', { dropPercent: 2.5 }), expected: [{ subject: 'host:net:docker0', severity: 'warning', value: 2.5, threshold: 1 }] },
  { name: 'drops exactly at warning: no finding', change: nicAt('docker0', { dropPercent: 1 }), expected: [] },
  {
    name: 'errors and drops on one interface: one finding, evidence the worse',
    change: nicAt('eth0', { errorPercent: 1.5, dropPercent: 4 }),
    expected: [{ subject: 'host:net:eth0', severity: 'warning', value: 4, threshold: 1 }],
  },
  {
    name: 'two interfaces: one finding each',
    change: (system) => {
      nicAt('eth0', { errorPercent: 3 })(system);
      nicAt('docker0', { dropPercent: 2 })(system);
    },
    expected: [
      { subject: 'host:net:eth0', severity: 'warning', value: 3, threshold: 1 },
      { subject: 'host:net:docker0', severity: 'warning', value: 2, threshold: 1 },
    ],
  },
  { name: 'errors not measured: drops still checked', change: nicAt('eth0', { errorPercent: null, dropPercent: 5 }), expected: [{ subject: 'host:net:eth0', severity: 'warning', value: 5, threshold: 1 }] },
  {
    name: 'no counter measured on any interface: not applicable',
    change: (system) => system.network.forEach((nic) => { nic.errorPercent.value = null; nic.dropPercent.value = null; }),
    expected: null,
  },
  {
    name: 'lower warning override raises a finding',
    thresholds: { networkErrorPercent: { warning: 0.005 } },
    expected: [{ subject: 'host:net:docker0', severity: 'warning', value: 0.01, threshold: 0.005 }],
  },
  { name: 'higher warning override silences a finding', change: nicAt('eth0', { errorPercent: 2 }), thresholds: { networkErrorPercent: { warning: 5 } }, expected: [] },
];

describe('host-network-errors', () => {
  test.each(cases)('$name', ({ change, thresholds, expected }) => {
    expect(brief(evaluate(rule, change, thresholds))).toEqual(expected);
  });

  test.each(WITHOUT_SYSTEM)('$name: not applicable', ({ artifacts }) => {
    expect(evaluateRule(rule, ruleContext(artifacts))).toBeNull();
  });

  test('drops: states both counters and advises on ring buffers for that interface', () => {
    const finding = onlyFinding(evaluate(rule, nicAt('eth0', { dropPercent: 2.345 })));
    expect(finding.title).toBe('Packet drops on eth0');
    expect(finding.evidence).toEqual({ metric: 'system.network[eth0].dropPercent', value: 2.35, unit: '%', threshold: 1 });
    expect(finding.message).toBe('On eth0, 0.0 % of packets had errors and 2.3 % were dropped over the 5 s window (11,000 packets/s).');
    expect(finding.recommendation).toContain('ethtool -S eth0');
    expect(finding.recommendation).toContain('ethtool -g/-G eth0');
    expect(finding.recommendation).not.toContain('duplex');
  });

  test('errors: advises on the physical link', () => {
    const finding = onlyFinding(evaluate(rule, nicAt('eth0', { errorPercent: 3 })));
    expect(finding.title).toBe('Packet errors on eth0');
    expect(finding.evidence.metric).toBe('system.network[eth0].errorPercent');
    expect(finding.recommendation).toContain('duplex');
    expect(finding.recommendation).not.toContain('RX ring');
  });
});
