import { CONNECT_TIMEOUT, RESPONSE_TIMEOUT, SOCKET_CLOSED } from './connection.js';

/** How a failed request is counted: by the class of its failure. */
export type FailureClass = 'timeout' | 'refused' | 'reset' | 'other';

const TIMEOUT_CODES = new Set(['ETIMEDOUT', CONNECT_TIMEOUT, RESPONSE_TIMEOUT]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', SOCKET_CLOSED]);

/** The class of a request error from the load transport (src/load/connection.ts) or its socket (its `code`). */
export function classifyError(error: unknown): FailureClass {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'other';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  if (RESET_CODES.has(code)) return 'reset';
  return 'other';
}
