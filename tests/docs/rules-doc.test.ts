/**
 * docs/rules.md lists every rule with the category and description the rule itself declares: the
 * rule file is the one place they are written. Stale rows fail here; regenerate them with
 *   UPDATE_DOCS=1 npm test -- tests/docs/rules-doc
 * (rows are rewritten in place; a new rule's row is added at the end of its part's table).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { RULES } from '../../src/rules/index.js';

const DOC = new URL('../../docs/rules.md', import.meta.url);

/** The part of the doc a rule belongs to, by its id's family. */
const SECTIONS: Array<[RegExp, string]> = [
  [/^host-/, '## Host'],
  [/^(container|docker)-/, '## Containers and the Docker engine'],
  [/^postgres-/, '## PostgreSQL'],
  [/^pgbouncer-/, '## PgBouncer'],
  [/^redis-/, '## Redis'],
  [/^api-/, '## API'],
  [/^diagnosis-/, '## Cross-layer diagnosis'],
  [/^load-/, '## Load test'],
];

const rowOf = (rule: (typeof RULES)[number]) => `| \`${rule.id}\` | ${rule.category} | ${rule.description.replaceAll('|', '\\|').replaceAll('\n', ' ')} |`;
const idOfRow = (line: string) => /^\| `([a-z0-9-]+)` \|/.exec(line)?.[1];

function regenerate(text: string): string {
  const lines = text.split('\n');
  const known = new Map(RULES.map((rule) => [rule.id, rule]));
  const out = lines.filter((line) => {
    const id = idOfRow(line);
    return id === undefined || known.has(id);
  }).map((line) => {
    const id = idOfRow(line);
    return id ? rowOf(known.get(id)!) : line;
  });
  for (const rule of RULES) {
    if (out.some((line) => idOfRow(line) === rule.id)) continue;
    const heading = SECTIONS.find(([pattern]) => pattern.test(rule.id))?.[1];
    const start = heading ? out.indexOf(heading) : -1;
    if (start < 0) throw new Error(`no part of docs/rules.md for rule ${rule.id}: add its family to SECTIONS`);
    let last = start;
    for (let index = start + 1; index < out.length && !out[index]!.startsWith('## '); index += 1) if (idOfRow(out[index]!)) last = index;
    out.splice(last + 1, 0, rowOf(rule));
  }
  return out.join('\n');
}

describe('docs/rules.md', () => {
  it('has one row per rule, with the category and description the rule declares', () => {
    const text = readFileSync(DOC, 'utf8');
    const wanted = regenerate(text);
    if (process.env.UPDATE_DOCS === '1' && wanted !== text) writeFileSync(DOC, wanted);
    else expect(text).toBe(wanted);
    const rows = wanted.split('\n').map(idOfRow).filter((id) => id !== undefined);
    expect([...rows].sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });
});
