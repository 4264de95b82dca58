/** Exit codes of the promptlens CLI (documented in the README and in `promptlens --help`). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  inputError: 3,
  /** `scan --fail-on warning|info`: a cache-busting finding at or above that severity. */
  cacheFindings: 4,
} as const;

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}
