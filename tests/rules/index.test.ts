import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEVERITY_RANK } from '../../src/contracts/finding.js';
import type { Rule } from '../../src/contracts/rule.js';
import { evaluateRules, RULES } from '../../src/rules/index.js';
import { mergeThresholds } from '../../src/rules/thresholds.js';
import { healthySystem, systemArtifacts } from '../support/system-fixture.js';
import { dockerArtifacts } from '../support/docker-fixture.js';

const RULES_DIR = fileURLToPath(new URL('../../src/rules/', import.meta.url));
/** folders of src/rules that hold no rule: shared helpers */
const HELPER_FOLDERS = new Set(['lib']);
/** every rule file, as `<family>/<rule-id>.ts`: each file in a family folder is a rule (the files at the top are the engine, the registry, levels and thresholds) */
const ruleFiles = readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !HELPER_FOLDERS.has(entry.name))
  .flatMap((folder) => readdirSync(`${RULES_DIR}${folder.name}`).filter((file) => file.endsWith('.ts')).map((file) => `${folder.name}/${file}`));

describe('rule registry', () => {
  test('rule ids are unique kebab-case', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('the family folders hold rule files', () => {
    expect(ruleFiles.length).toBeGreaterThan(80);
    expect(ruleFiles).toContain('host/host-iowait.ts');
  });

  test('every rule file is registered, and each rule id equals its file name', async () => {
    const idsFromFiles: string[] = [];
    for (const file of ruleFiles) {
      const module = (await import(`${RULES_DIR}${file}`)) as { rule: Rule };
      expect(module.rule.id).toBe(basename(file, '.ts'));
      expect(RULES).toContain(module.rule);
      idsFromFiles.push(module.rule.id);
    }
    expect([...idsFromFiles].sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });

  test.each(ruleFiles)('%s imports no I/O, port or client library (rules are pure)', (file) => {
    const source = readFileSync(`${RULES_DIR}${file}`, 'utf8');
    const imported = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    for (const specifier of imported) {
      expect(specifier).toMatch(/^\.\.?\//); // only the project's own modules
      expect(specifier).not.toMatch(/\/ports\//);
    }
    expect(source).not.toMatch(/console\.|Date\.now|new Date\(|process\./);
  });

  test('a healthy host passes every rule', () => {
    // with every phase's facts present, so that no rule is left not-applicable
    const { findings, results } = evaluateRules({ ...systemArtifacts(healthySystem()), ...dockerArtifacts() }, mergeThresholds());
    expect(findings).toEqual([]);
    expect(results.map((result) => result.ruleId)).toEqual(RULES.map((rule) => rule.id));
    // rules of other components have no artifact here: not applicable
    const componentOf = (id: string) => RULES.find((rule) => rule.id === id)?.component;
    for (const result of results) {
      const outcome = componentOf(result.ruleId) === 'system' ? 'passed' : 'not-applicable';
      expect(result).toEqual({ ruleId: result.ruleId, outcome, findings: 0 });
    }
  });

  test('without system facts every rule is not applicable', () => {
    const { findings, results } = evaluateRules({}, mergeThresholds());
    expect(findings).toEqual([]);
    for (const result of results) expect(result.outcome).toBe('not-applicable');
  });

  test('findings are sorted critical first, and each failed rule counts its findings', () => {
    const system = healthySystem((s) => {
      s.memory.usedPercent.value = 86; // info (memory rule runs early)
      s.mounts[0]!.usedPercent.value = 92; // warning
      s.mounts[1]!.usedPercent.value = 97; // critical
      s.oomKillsDuringWindow.value = 1; // critical
      s.fileHandles.usedPercent.value = 75; // warning (last rule)
    });
    const { findings, results } = evaluateRules(systemArtifacts(system), mergeThresholds());
    expect(findings.map((finding) => finding.severity)).toEqual(['critical', 'critical', 'warning', 'warning', 'info']);
    // same severity keeps the registry order
    expect(findings.map((finding) => finding.subject)).toEqual([
      'host:oom',
      'host:disk:/var/lib/postgresql',
      'host:disk:/',
      'host:file-handles',
      'host:memory',
    ]);
    for (let index = 1; index < findings.length; index += 1) {
      expect(SEVERITY_RANK[findings[index - 1]!.severity]).toBeGreaterThanOrEqual(SEVERITY_RANK[findings[index]!.severity]);
    }
    expect(results.find((result) => result.ruleId === 'host-disk-space')).toEqual({ ruleId: 'host-disk-space', outcome: 'failed', findings: 2 });
  });

  test('a throwing rule is an error with what it threw, and the others still run', () => {
    const throwing: Rule = {
      id: 'always-throws',
      component: 'system',
      category: 'system',
      description: 'test double',
      requires: [],
      check() {
        throw new TypeError("Cannot read properties of undefined (reading 'value')");
      },
    };
    const system = healthySystem((s) => {
      s.oomKillsDuringWindow.value = 1;
    });
    const { findings, results } = evaluateRules(systemArtifacts(system), mergeThresholds(), [throwing, ...RULES]);
    expect(results[0]).toEqual({
      ruleId: 'always-throws',
      outcome: 'error',
      findings: 0,
      reason: "rule failed: Cannot read properties of undefined (reading 'value')",
    });
    expect(results).toHaveLength(RULES.length + 1);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['host-oom-kills']);
  });

  test('a rule throwing a non-Error value is reported too', () => {
    const throwing: Rule = {
      id: 'throws-a-string',
      component: 'system',
      category: 'system',
      description: 'test double',
      requires: [],
      check() {
        throw 'plain string';
      },
    };
    const { results } = evaluateRules({}, mergeThresholds(), [throwing]);
    expect(results).toEqual([{ ruleId: 'throws-a-string', outcome: 'error', findings: 0, reason: 'rule failed: plain string' }]);
  });
});
