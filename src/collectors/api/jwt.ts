/** A token decoded WITHOUT verification: what it says about itself, never its claim values. */
import type { TokenInfo } from '../../contracts/api.js';

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `loginAtSeconds`: when the login answered (unix s), for a lifetime when the token has exp but no iat. */
export function describeToken(token: string, loginAtSeconds: number): TokenInfo {
  const sizeBytes = Buffer.byteLength(token, 'utf8');
  const parts = token.split('.');
  const header = parts.length === 3 ? decodeSegment(parts[0]!) : null;
  const payload = parts.length === 3 ? decodeSegment(parts[1]!) : null;
  if (!header || !payload) return { format: 'opaque', sizeBytes, alg: null, lifetimeSeconds: null, claims: [] };
  const exp = typeof payload.exp === 'number' ? payload.exp : null;
  const iat = typeof payload.iat === 'number' ? payload.iat : null;
  const lifetimeSeconds = exp === null ? null : Math.round(exp - (iat ?? loginAtSeconds));
  return {
    format: 'jwt',
    sizeBytes,
    alg: typeof header.alg === 'string' ? header.alg : null,
    lifetimeSeconds,
    claims: Object.keys(payload).sort(),
  };
}

/** When a JWT expires (its exp claim, unix seconds); null for an opaque token or one without exp. */
export function tokenExpiresAtSeconds(token: string): number | null {
  const parts = token.split('.');
  const payload = parts.length === 3 ? decodeSegment(parts[1]!) : null;
  return payload && typeof payload.exp === 'number' ? payload.exp : null;
}

/** The value at a dotted path ("data.access_token") of a parsed JSON body, when it is a non-empty string. */
export function tokenAt(body: unknown, path: string): string | null {
  let current: unknown = body;
  for (const segment of path.split('.')) {
    if (!current || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[segment];
  }
  return typeof current === 'string' && current !== '' ? current : null;
}
