/** The exit statuses, documented in --help and the README. */
export const EXIT = {
  /** Every line was an event, a tombstone or a deliberate skip. */
  ok: 0,
  /** Some lines were rejected (the rest were converted), or --strict stopped at the first. */
  rejected: 1,
  /** The command line was wrong. */
  usage: 2,
  /** An input could not be read, or the output or --errors file could not be written. */
  io: 3,
  /** Interrupted: 128 + the signal's number, as shells report it. */
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The status a finished run exits with: an interruption first, then I/O failures, then rejections. */
export function exitStatus(run: {
  readonly signal: 'SIGINT' | 'SIGTERM' | null;
  readonly ioFailed: boolean;
  readonly rejected: number;
}): ExitCode {
  if (run.signal !== null) return EXIT[run.signal];
  if (run.ioFailed) return EXIT.io;
  return run.rejected > 0 ? EXIT.rejected : EXIT.ok;
}
