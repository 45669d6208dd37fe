import { describe, expect, test } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import { rule } from '../../../src/rules/container/docker-engine-unreachable.js';
import { onlyFinding, ruleContext } from '../../support/system-fixture.js';
import { dockerArtifacts } from '../../support/docker-fixture.js';

describe('docker-engine-unreachable', () => {
  test('docker phase not configured: not applicable', () => {
    expect(evaluateRule(rule, ruleContext({}))).toBeNull();
  });

  test('engine read: passed', () => {
    expect(evaluateRule(rule, ruleContext(dockerArtifacts()))).toEqual([]);
  });

  test('engine stopped: a warning on docker:engine with the reason', () => {
    const reason = 'connection refused at unix:///var/run/docker.sock: the Docker engine is not running (stale socket or nothing listening)';
    const finding = onlyFinding(evaluateRule(rule, ruleContext({ docker: { status: 'error', durationMs: 2, error: reason } })));
    expect(finding).toMatchObject({ severity: 'warning', category: 'availability', subject: 'docker:engine' });
    expect(finding.message).toContain(reason);
    expect(finding.recommendation).toContain('docker info');
  });

  test('permission denied: says which group to join', () => {
    const reason = 'permission denied on unix:///var/run/docker.sock: run perf-analyze as root or as a member of the group that owns the socket (usually "docker")';
    const finding = onlyFinding(evaluateRule(rule, ruleContext({ docker: { status: 'error', durationMs: 2, error: reason } })));
    expect(finding.recommendation).toContain('usermod -aG docker');
  });
});
