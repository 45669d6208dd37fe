import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * Which keys are valid where, read from the zod schema itself so that a key added to
 * the schema is at once known here (did-you-mean, empty sections), with no second list to update.
 */

/** Strips the wrappers that do not change which keys an object accepts. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** The schema of the value at `path` inside a config, or undefined when the path leads nowhere. */
export function schemaAt(path: readonly (string | number)[], root: z.ZodType = configSchema): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(root);
  for (const segment of path) {
    if (current instanceof z.ZodObject && typeof segment === 'string') {
      const shape = current.shape as Record<string, z.ZodType>;
      current = Object.hasOwn(shape, segment) ? shape[segment] : undefined;
    } else if (current instanceof z.ZodArray && typeof segment === 'number') {
      current = current.element as z.ZodType;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
    current = unwrap(current);
  }
  return current;
}

/** True when the config value at `path` is a mapping (a section such as `system` or `thresholds.cpu`). */
export function isSectionAt(path: readonly (string | number)[]): boolean {
  return schemaAt(path) instanceof z.ZodObject;
}

/** The keys a mapping at `path` accepts, in schema order. */
export function validKeysAt(path: readonly (string | number)[], root: z.ZodType = configSchema): string[] {
  const schema = schemaAt(path, root);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
}

/** Every key path of the schema (sections and leaves), e.g. ['system', 'sampleSeconds']. */
export function allKeyPaths(root: z.ZodType = configSchema): string[][] {
  const paths: string[][] = [];
  const visit = (prefix: string[]) => {
    for (const key of validKeysAt(prefix, root)) {
      paths.push([...prefix, key]);
      visit([...prefix, key]);
    }
  };
  visit([]);
  return paths;
}

/** Optimal-string-alignment distance: Levenshtein plus a swap of two neighbours counting as one edit ("tresholds", "warnign"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]![j]!;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i]![j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/** "Output_Dir", "output-dir" and "outputdir" all mean outputDir. */
function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The valid key closest to `unknownKey`, or undefined when none is close enough.
 * Close: the same after ignoring case and - _; at most 1 edit (keys of up to 4 letters) or 2 edits;
 * or one is a prefix of the other (at least 3 letters: "thresh", "format").
 */
export function closestKey(unknownKey: string, validKeys: readonly string[]): string | undefined {
  const given = normalise(unknownKey);
  const maxEdits = given.length <= 4 ? 1 : 2;
  let best: { key: string; rank: number } | undefined;
  for (const key of validKeys) {
    const candidate = normalise(key);
    let rank = editDistance(given, candidate);
    if (rank > maxEdits) {
      const shorter = given.length < candidate.length ? given : candidate;
      const isPrefix = shorter.length >= 3 && (candidate.startsWith(given) || given.startsWith(candidate));
      if (!isPrefix) continue;
      rank = maxEdits + 1; // a prefix match ranks after every edit-distance match
    }
    if (best === undefined || rank < best.rank) best = { key, rank };
  }
  return best?.key;
}

/**
 * A suggestion for an unknown key found at `parentPath`: a close key at the same level, or else the
 * same key at another level (`sampleSeconds` at the top -> `system.sampleSeconds`). A dotted path.
 */
export function suggestKeyPath(parentPath: readonly string[], unknownKey: string): string | undefined {
  const sibling = closestKey(unknownKey, validKeysAt(parentPath));
  if (sibling !== undefined) return [...parentPath, sibling].join('.');
  const elsewhere = allKeyPaths().find((path) => normalise(path[path.length - 1]!) === normalise(unknownKey));
  return elsewhere?.join('.');
}
