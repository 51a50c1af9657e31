import type { Writable } from 'node:stream';
import type { SkipKind } from '../core/pivot.js';
import type { Warning } from '../core/values.js';

const PROGRAM = 'holding-pivot';
const EXCERPT_CHARS = 80;
// Short runs finish before a live count would help; it would only flicker.
const PROGRESS_AFTER_MS = 1000;
const PROGRESS_EVERY_MS = 250;
const CLEAR_LINE = '\r\x1b[K';

/** What a run has seen so far. */
export class Counts {
  lines = 0;
  events = 0;
  rows = 0;
  tombstones = 0;
  rejected = 0;
  readonly skipped: Record<SkipKind, number> = { snapshot: 0, truncate: 0, message: 0, heartbeat: 0, transaction: 0, unconfigured: 0 };
}

/** A short, quoted, escaped start of a line, safe to print whatever bytes the line holds. */
export function excerpt(line: string): string {
  if (line.length <= EXCERPT_CHARS) return JSON.stringify(line);
  return `${JSON.stringify(line.slice(0, EXCERPT_CHARS))}… (${line.length} characters)`;
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * Everything written to stderr: rejected lines, warnings (the first of each cause in full, repeats
 * counted), a live count on a terminal, and the closing summary. stdout never sees any of it.
 */
export class Reporter {
  private readonly repeats = new Map<string, { first: string; count: number }>();
  private progressShown = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly started: number;

  constructor(
    private readonly err: Writable,
    private readonly settings: { readonly quiet: boolean; readonly stats: boolean; readonly tty: boolean; readonly now: () => number },
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
    if (seen !== undefined) {
      seen.count++;
      return;
    }
    this.repeats.set(key, { first: where, count: 0 });
    this.print(`${PROGRAM}: ${where}: warning: ${warning.message}`);
  }

  error(message: string): void {
    this.print(`${PROGRAM}: ${message}`);
  }

  /** On a terminal, keeps one line of running totals up to date while the run lasts. */
  startProgress(counts: Counts): void {
    if (!this.settings.tty) return;
    this.timer = setInterval(() => {
      if (this.settings.now() - this.started < PROGRESS_AFTER_MS) return;
      this.err.write(`${CLEAR_LINE}${PROGRAM}: ${this.totals(counts)}`);
      this.progressShown = true;
    }, PROGRESS_EVERY_MS);
    this.timer.unref();
  }

  /** Ends the run's reporting: repeated warnings, then the summary (on a terminal or with --stats). */
  finish(counts: Counts): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const { first, count } of this.repeats.values()) {
      if (count > 0) this.print(`${PROGRAM}: warning: the warning at ${first} also applies to ${plural(count, 'later line')}`);
    }
    if (this.settings.stats || this.settings.tty) this.print(`${PROGRAM}: ${this.summary(counts)}`);
    else this.clearProgress();
  }

  private totals(counts: Counts): string {
    const seconds = Math.max((this.settings.now() - this.started) / 1000, 0.001);
    const rate = Math.round(counts.events / seconds);
    return `${plural(counts.events, 'event')}, ${plural(counts.rows, 'row')}, ${count(counts.rejected)} rejected, ${count(rate)} events/s`;
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

  private clearProgress(): void {
    if (this.progressShown) this.err.write(CLEAR_LINE);
    this.progressShown = false;
  }

  private print(text: string): void {
    this.clearProgress();
    this.err.write(`${text}\n`);
  }
}
