import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { SkipKind } from '../core/pivot.js';
import type { Warning, WarningCode } from '../core/values.js';
import { LiveCount, type ProgressMode } from './progress.js';
import type { Terminal } from './terminal.js';
import { count, escapeForTerminal } from './terminal-text.js';

const PROGRAM = 'holding-pivot';
const EXCERPT_CHARACTERS = 80;
/**
 * Distinct warning causes (code and subject) shown and counted one by one. Beyond it, new causes
 * are only counted by code: a stream from thousands of tables must not grow memory, nor stderr,
 * with every table name.
 */
export const MAX_WARNING_CAUSES = 1000;

const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** What a run has seen so far. */
export class Counts {
  lines = 0;
  events = 0;
  rows = 0;
  tombstones = 0;
  rejected = 0;
  readonly skipped: Record<SkipKind, number> = { snapshot: 0, truncate: 0, message: 0, heartbeat: 0, transaction: 0, unconfigured: 0 };

  /** Adds the counts of a part of the run (a plain copy of a Counts, as a worker thread sends it). */
  add(part: Counts): void {
    this.lines += part.lines;
    this.events += part.events;
    this.rows += part.rows;
    this.tombstones += part.tombstones;
    this.rejected += part.rejected;
    for (const what of Object.keys(this.skipped) as SkipKind[]) this.skipped[what] += part.skipped[what];
  }
}

/**
 * A short, quoted, escaped start of a line: its first 80 characters (never half of one), then,
 * when there is more, the size of the whole line in bytes, as it was read.
 */
export function excerpt(line: string, bytes: number): string {
  let end = 0;
  for (let shown = 0; shown < EXCERPT_CHARACTERS && end < line.length; shown++) end += (line.codePointAt(end) as number) > 0xffff ? 2 : 1;
  if (end === line.length) return JSON.stringify(line);
  return `${JSON.stringify(line.slice(0, end))}… (${count(bytes)} bytes)`;
}

/** The text of the first bytes of a line, without the character its end may have cut in two. */
export function headText(head: Uint8Array): string {
  return new StringDecoder('utf8').write(head);
}

/** Where a warning cause was first seen, and how many later lines it also applied to. */
interface Repeats {
  readonly cause: string;
  readonly first: string;
  /** The last line counted, so a line with the cause in several cells counts once. */
  last: string;
  lines: number;
}

/**
 * Everything written to stderr: rejected lines, warnings (the first of each cause in full, the
 * lines it applied to afterwards counted), a live count, and the closing summary. Every line goes
 * through escapeForTerminal, since table names, file names and excerpts come from the input.
 * stdout never sees any of it.
 */
export class Reporter {
  private readonly repeats = new Map<string, Repeats>();
  /** Lines with a warning of a cause beyond MAX_WARNING_CAUSES, by code. */
  private readonly unshown = new Map<WarningCode, Repeats>();
  private liveCount: LiveCount | null = null;
  private readonly started: number;

  constructor(
    private readonly err: Writable,
    private readonly settings: {
      readonly quiet: boolean;
      readonly stats: boolean;
      readonly progress: ProgressMode;
      readonly terminal: Terminal;
      readonly now: () => number;
    },
  ) {
    this.started = settings.now();
  }

  /** A line that yielded nothing: where it was, why, and how it began. */
  rejected(where: string, reason: string, shown: string): void {
    this.print(`${PROGRAM}: ${where}: ${reason}: ${shown}`);
  }

  warning(where: string, warning: Warning): void {
    if (this.settings.quiet) return;
    const key = `${warning.code}\u0000${warning.subject}`;
    const seen = this.repeats.get(key);
    if (seen !== undefined) return countLine(seen, where);
    if (this.repeats.size < MAX_WARNING_CAUSES) {
      this.repeats.set(key, { cause: `${warning.code}: ${warning.subject}`, first: where, last: where, lines: 0 });
      this.print(`${PROGRAM}: ${where}: warning: ${warning.message}`);
      return;
    }
    const unshown = this.unshown.get(warning.code);
    if (unshown !== undefined) return countLine(unshown, where);
    this.unshown.set(warning.code, { cause: warning.code, first: where, last: where, lines: 1 });
    if (this.unshown.size === 1) {
      this.print(`${PROGRAM}: ${where}: warning: more than ${count(MAX_WARNING_CAUSES)} distinct warnings; new ones are counted from here on, not shown`);
    }
  }

  error(message: string): void {
    this.print(`${PROGRAM}: ${message}`);
  }

  /** Keeps one line of running totals up to date while the run lasts, when --progress says so. */
  startProgress(counts: Counts): void {
    this.liveCount = new LiveCount(this.err, this.settings.terminal, this.settings.progress, this.settings.now, () => counts);
    this.liveCount.start();
  }

  /** Ends the run's reporting: repeated warnings, then the summary (on a terminal or with --stats). */
  finish(counts: Counts): void {
    this.liveCount?.stop();
    for (const { cause, first, lines } of this.repeats.values()) {
      if (lines > 0) this.print(`${PROGRAM}: warning: the warning at ${first} (${cause}) also applies to ${plural(lines, 'later line')}`);
    }
    for (const { cause, first, lines } of this.unshown.values()) {
      this.print(`${PROGRAM}: warning: ${plural(lines, 'line')} from ${first} on had ${cause} warnings not shown`);
    }
    if (this.settings.stats || this.settings.terminal.isTTY) this.print(`${PROGRAM}: ${this.summary(counts)}`);
    else this.liveCount?.clear();
  }

  private summary(counts: Counts): string {
    const kinds = Object.entries(counts.skipped).filter(([, n]) => n > 0);
    const skipped = kinds.reduce((total, [, n]) => total + n, 0);
    const detail = kinds.length > 0 ? ` (${kinds.map(([what, n]) => `${count(n)} ${what}`).join(', ')})` : '';
    const seconds = (this.settings.now() - this.started) / 1000;
    return [
      plural(counts.lines, 'line'),
      `${plural(counts.events, 'event')} → ${plural(counts.rows, 'row')}`,
      plural(counts.tombstones, 'tombstone'),
      `${count(skipped)} skipped${detail}`,
      `${count(counts.rejected)} rejected`,
      `${seconds.toFixed(2)} s`,
    ].join(', ');
  }

  private print(text: string): void {
    this.liveCount?.clear();
    this.err.write(`${escapeForTerminal(text)}\n`);
  }
}

function countLine(repeats: Repeats, where: string): void {
  if (where === repeats.last) return;
  repeats.last = where;
  repeats.lines++;
}
