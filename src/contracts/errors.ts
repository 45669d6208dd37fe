/**
 * A mistake of the user's (bad flag, unwritable output directory): the CLI prints
 * the message without a stack trace and exits 2, and no report is written.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
