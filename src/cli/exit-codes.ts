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

/** What each status means for one command, as its --help and the README say it. */
export type ExitMeanings = { readonly [name in keyof typeof EXIT]: string };

/** holding-pivot's statuses. */
export const EXIT_MEANINGS: ExitMeanings = {
  ok: 'every line was an event, a tombstone or a deliberate skip',
  rejected: 'some lines were rejected (the others were converted), or --strict stopped at the first',
  usage: 'usage error, or --strict stopped at an event without a column an option names',
  io: 'an input could not be read (the others were converted), the output or the --errors file could not be written, or a conversion thread failed (nothing after it was written)',
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

/** holding-pivot-sync's statuses: the same numbers, said of loading a topic. */
export const SYNC_EXIT_MEANINGS: ExitMeanings = {
  ok: 'stopped or drained; every message read was loaded',
  rejected: 'as 0, but some messages were rejected (reported on stderr, kept in holding_pivot_sync_rejects)',
  usage: 'usage error',
  io: 'Kafka or PostgreSQL failed, or another sync holds a partition: the batch in flight is rolled back',
  SIGINT: 'stopped by SIGINT, after loading what it had read',
  SIGTERM: 'stopped by SIGTERM, after loading what it had read',
};

function wrap(text: string, indent: string, width = 100): string {
  const lines = [''];
  for (const word of text.split(' ')) {
    const line = lines[lines.length - 1] as string;
    if (line !== '' && indent.length + line.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] = line === '' ? word : `${line} ${word}`;
  }
  return lines.join(`\n${indent}`);
}

/** The "Exit status:" table of a --help, made from a command's meanings. */
export function exitTable(meanings: ExitMeanings): string {
  return (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((name) => `  ${String(EXIT[name]).padEnd(5)}${wrap(meanings[name], ' '.repeat(7))}`).join('\n');
}
