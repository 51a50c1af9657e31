/** The exit statuses. --help's table is made from EXIT_MEANINGS, and a test holds the README's to it. */
export const EXIT = {
  ok: 0,
  rejected: 1,
  usage: 2,
  io: 3,
  /** Interrupted: 128 + the signal's number, as shells report it. */
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each status means, as --help and the README say it. */
export const EXIT_MEANINGS: { readonly [name in keyof typeof EXIT]: string } = {
  ok: 'every line was an event, a tombstone or a deliberate skip',
  rejected: 'some lines were rejected (the others were converted), or --strict stopped at the first',
  usage: 'usage error, or --strict stopped at an event without a column an option names',
  io: 'an input could not be read (the others were converted), or the output or the --errors file could not be written',
  SIGINT: 'interrupted by SIGINT: the rows of every whole line read were written',
  SIGTERM: 'terminated by SIGTERM: the rows of every whole line read were written',
};

/** The status a finished run exits with: an interruption first, then I/O failures, then the input. */
export function exitStatus(run: {
  readonly signal: 'SIGINT' | 'SIGTERM' | null;
  readonly ioFailed: boolean;
  readonly usage: boolean;
  readonly rejected: number;
}): ExitCode {
  if (run.signal !== null) return EXIT[run.signal];
  if (run.ioFailed) return EXIT.io;
  if (run.usage) return EXIT.usage;
  return run.rejected > 0 ? EXIT.rejected : EXIT.ok;
}
