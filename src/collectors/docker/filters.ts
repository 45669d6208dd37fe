/** Include / exclude of containers by name (globs with "*") and label ("key" or "key=value"). */
export interface ContainerFilter {
  names: readonly string[];
  labels: readonly string[];
}

export function globMatches(pattern: string, text: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(text);
}

function labelMatches(selector: string, labels: Readonly<Record<string, string>>): boolean {
  const equals = selector.indexOf('=');
  if (equals < 0) return Object.hasOwn(labels, selector);
  const key = selector.slice(0, equals);
  return Object.hasOwn(labels, key) && labels[key] === selector.slice(equals + 1);
}

function matchesAny(filter: ContainerFilter, name: string, labels: Readonly<Record<string, string>>): boolean {
  return filter.names.some((pattern) => globMatches(pattern, name)) || filter.labels.some((selector) => labelMatches(selector, labels));
}

/** Kept when it matches an include (or there is none) and no exclude. */
export function selectContainer(
  name: string,
  labels: Readonly<Record<string, string>>,
  include: ContainerFilter,
  exclude: ContainerFilter,
): boolean {
  const included = (include.names.length === 0 && include.labels.length === 0) || matchesAny(include, name, labels);
  return included && !matchesAny(exclude, name, labels);
}
