/**
 * The threshold tables of docs/configuration.md (one under each part's heading in "Thresholds
 * (defaults and sources)") are made from THRESHOLD_DEFINITIONS in src/rules/thresholds.ts, the one
 * place a threshold's levels, description and source are written. Stale tables fail here;
 * regenerate them with
 *   UPDATE_DOCS=1 npm test -- tests/docs/thresholds-doc
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { THRESHOLD_DEFINITIONS, THRESHOLD_PARTS, type ThresholdPart } from '../../src/rules/thresholds.js';

const DOC = new URL('../../docs/configuration.md', import.meta.url);
const SECTION = '## Thresholds (defaults and sources)';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const levelsText = (levels: Record<string, number>) =>
  Object.entries(levels).map(([level, value]) => `${level} ${value.toLocaleString('en-US')}`).join(', ');

function tableOf(part: ThresholdPart): string[] {
  const rows = Object.entries(THRESHOLD_DEFINITIONS)
    .filter(([, definition]) => definition.part === part)
    .map(([key, definition]) => `| \`${key}\` | ${levelsText(definition.levels)} | ${cell(definition.description)} | ${cell(definition.source)} |`);
  return ['| key | default | what it measures | source |', '|---|---|---|---|', ...rows];
}

/** The doc with the table under each part's heading (within the thresholds section) replaced by the generated one. */
function regenerate(text: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(SECTION);
  if (start < 0) throw new Error(`docs/configuration.md has no "${SECTION}" heading`);
  for (const [part, title] of Object.entries(THRESHOLD_PARTS) as Array<[ThresholdPart, string]>) {
    const heading = lines.indexOf(`### ${title}`, start);
    if (heading < 0) throw new Error(`docs/configuration.md has no "### ${title}" heading under "${SECTION}": add it`);
    let first = heading + 1;
    while (lines[first] === '') first += 1;
    let end = first;
    while (lines[end]?.startsWith('|')) end += 1;
    // no table yet: insert one after a blank line
    const replaced = end > first ? end - first : 0;
    lines.splice(first, replaced, ...tableOf(part), ...(replaced === 0 ? [''] : []));
  }
  return lines.join('\n');
}

describe('docs/configuration.md thresholds', () => {
  it('has one row per threshold, with the levels, description and source of its definition', () => {
    const text = readFileSync(DOC, 'utf8');
    const wanted = regenerate(text);
    if (process.env.UPDATE_DOCS === '1' && wanted !== text) writeFileSync(DOC, wanted);
    else expect(text === wanted ? 'up to date' : 'docs/configuration.md thresholds are stale: run UPDATE_DOCS=1 npm test -- tests/docs/thresholds-doc').toBe('up to date');
    const keys = wanted.split('\n').map((line) => /^\| `(\w+)` \|/.exec(line)?.[1]).filter((key) => key !== undefined && key in THRESHOLD_DEFINITIONS);
    expect([...keys].sort()).toEqual(Object.keys(THRESHOLD_DEFINITIONS).sort());
  });
});
