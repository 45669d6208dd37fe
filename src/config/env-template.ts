/**
 * `${VAR}` in the login body and request headers: the value comes from the environment at
 * request time, so credentials never sit in a config file. The substituted values are secrets:
 * the caller collects them and scrubs them from anything it writes.
 */

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of the variables referenced anywhere in `value` (strings inside objects and lists too). */
export function referencedVariables(value: unknown): string[] {
  const names = new Set<string>();
  const walk = (item: unknown) => {
    if (typeof item === 'string') for (const match of item.matchAll(REFERENCE)) names.add(match[1]!);
    else if (Array.isArray(item)) item.forEach(walk);
    else if (item && typeof item === 'object') Object.values(item).forEach(walk);
  };
  walk(value);
  return [...names];
}

/** The variables referenced in `value` that `env` does not set (an empty value counts as set). */
export function missingVariables(value: unknown, env: NodeJS.ProcessEnv): string[] {
  return referencedVariables(value).filter((name) => env[name] === undefined);
}

/**
 * `value` with every `${VAR}` replaced from `env`; each substituted value is added to `secrets`.
 * Throws naming the variable (never a value) when one is not set.
 */
export function substituteVariables<T>(value: T, env: NodeJS.ProcessEnv, secrets: Set<string>): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      return item.replace(REFERENCE, (_whole, name: string) => {
        const substituted = env[name];
        if (substituted === undefined) throw new Error(`environment variable ${name} is not set (referenced as \${${name}})`);
        if (substituted !== '') secrets.add(substituted);
        return substituted;
      });
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return walk(value) as T;
}

/** `text` with every secret replaced by <redacted> (longest first, so a secret inside another goes too). */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let scrubbed = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length === 0) continue;
    scrubbed = scrubbed.split(secret).join('<redacted>');
  }
  return scrubbed;
}
