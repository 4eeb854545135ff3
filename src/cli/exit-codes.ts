/** Exit codes of the CLI, from sysexits.h where one fits, so scripts can tell failures apart. */
export const exitCodes = {
  ok: 0,
  /** The command ran and failed: database unreachable, migration refused, port in use. */
  failure: 1,
  /** Unknown command or option, or a missing argument. */
  usage: 64,
  /** An environment variable is missing or invalid. */
  config: 78,
} as const
