import type { Writable } from 'node:stream';
import type { Warning } from '../core/values.js';
import { excerpt, MAX_WARNING_CAUSES } from '../cli/reporter.js';
import { count, escapeForTerminal } from '../cli/terminal-text.js';
import { describeRanges, type Batch } from './batch.js';

const PROGRAM = 'holding-pivot-sync';
const CLEAR_LINE = '\r\x1b[K';

/** What a sync has loaded since it started. */
export class SyncTotals {
  batches = 0;
  messages = 0;
  rows = 0;
  rejected = 0;
  /** Messages between the committed positions and the partitions' ends, when last measured. */
  lag: number | null = null;
}

const plural = (n: number, word: string, words = `${word}s`): string => `${count(n)} ${n === 1 ? word : words}`;

/**
 * stderr: rejected messages and warnings always (warnings once per cause unless --quiet), a line
 * per committed batch with --stats, a live line of totals on a terminal, a summary at the end
 * with --stats or on a terminal. Nothing else: a sync under a supervisor stays quiet.
 */
export class SyncReporter {
  /** By cause: where it was first seen, the last message counted, and how many later messages had it. */
  private readonly warned = new Map<string, { first: string; last: string; count: number }>();
  /** Warnings of causes beyond MAX_WARNING_CAUSES: counted, not shown, so memory stays bounded. */
  private unshown = 0;
  private liveShown = false;

  constructor(
    private readonly err: Writable,
    private readonly settings: { readonly quiet: boolean; readonly stats: boolean; readonly tty: boolean },
  ) {}

  get wantsLag(): boolean {
    return this.settings.stats || this.settings.tty;
  }

  rejected(partition: number, offset: number, reason: string, message: Buffer): void {
    this.print(`${PROGRAM}: partition ${partition} offset ${offset}: ${reason}: ${excerpt(message.toString('utf8'), message.length)}`);
  }

  warning(partition: number, offset: number, warning: Warning): void {
    if (this.settings.quiet) return;
    const key = `${warning.code}\u0000${warning.subject}`;
    const where = `partition ${partition} offset ${offset}`;
    const seen = this.warned.get(key);
    if (seen !== undefined) {
      // A message with the cause in several cells counts once, as holding-pivot counts lines.
      if (seen.last !== where) {
        seen.last = where;
        seen.count++;
      }
      return;
    }
    if (this.warned.size >= MAX_WARNING_CAUSES) {
      this.unshown++;
      return;
    }
    this.warned.set(key, { first: where, last: where, count: 0 });
    this.print(`${PROGRAM}: ${where}: warning: ${warning.message}`);
  }

  error(message: string): void {
    this.print(`${PROGRAM}: ${message}`);
  }

  /** A batch is committed. */
  committed(batch: Batch, totals: SyncTotals, elapsedMs: number): void {
    if (this.settings.stats) {
      const c = batch.counts;
      this.print(
        `${PROGRAM}: batch ${count(totals.batches)}: ${plural(batch.rows.length, 'row')} from ${plural(c.messages, 'message')} ` +
          `(${plural(c.events, 'event')}, ${plural(c.tombstones, 'tombstone')}, ${count(c.skipped)} skipped, ${count(c.rejected)} rejected), ` +
          `offsets ${describeRanges(batch.ranges)}, ${elapsedMs} ms; ${this.lagText(totals)}`,
      );
    } else this.live(totals);
  }

  /** On a terminal, one line of running totals, rewritten in place. */
  live(totals: SyncTotals): void {
    if (!this.settings.tty) return;
    this.err.write(`${CLEAR_LINE}${PROGRAM}: ${this.totalsText(totals)}`);
    this.liveShown = true;
  }

  finish(totals: SyncTotals, how: string): void {
    if (!this.settings.quiet) {
      for (const { first, count: repeats } of this.warned.values()) {
        if (repeats > 0) this.print(`${PROGRAM}: warning: the warning at ${first} also applies to ${plural(repeats, 'later message')}`);
      }
      if (this.unshown > 0) this.print(`${PROGRAM}: warning: ${plural(this.unshown, 'more warning')} not shown: other causes than the ${count(MAX_WARNING_CAUSES)} above`);
    }
    if (this.settings.stats || this.settings.tty) this.print(`${PROGRAM}: ${how}: ${this.totalsText(totals)}`);
    else this.clearLive();
  }

  private lagText(totals: SyncTotals): string {
    return totals.lag === null ? 'lag unknown' : `lag ${plural(totals.lag, 'message')}`;
  }

  private totalsText(totals: SyncTotals): string {
    return `${plural(totals.batches, 'batch', 'batches')}, ${plural(totals.messages, 'message')}, ${plural(totals.rows, 'row')}, ${count(totals.rejected)} rejected; ${this.lagText(totals)}`;
  }

  private clearLive(): void {
    if (this.liveShown) this.err.write(CLEAR_LINE);
    this.liveShown = false;
  }

  private print(text: string): void {
    this.clearLive();
    // Table names, column names and excerpts come from the messages: nothing in them may act on a terminal.
    this.err.write(`${escapeForTerminal(text)}\n`);
  }
}
