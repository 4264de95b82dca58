/** Exit codes of the promptlens CLI (documented in the README and in `promptlens --help`). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  inputError: 3,
} as const;

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}
