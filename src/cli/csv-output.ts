import { stringify, type Options } from 'csv-stringify/sync';
import type { Writable } from 'node:stream';
import type { Row } from '../core/columns.js';

const CSV_OPTIONS: Options = {
  // An empty string must read back as '' and NULL as NULL: PostgreSQL's COPY … CSV takes an
  // unquoted empty field for NULL and "" for ''. quoted_match leaves nulls unquoted, unlike quoted_empty.
  // With a record_delimiter set, csv-stringify quotes fields holding \n but not a lone \r, which
  // COPY would take for a line end; this regex costs less than its quote_record_delimiter option.
  quoted_match: [/^$/, /\r/],
  record_delimiter: 'unix',
};

/** RFC 4180 text of rows, one record per row, each ending in \n. */
export function csvText(rows: readonly Row[]): string {
  return stringify(rows as Row[], CSV_OPTIONS);
}

/**
 * The CSV destination: writes whole batches of rows (never part of one), respects backpressure,
 * and treats a reader that went away (EPIPE, as with `| head -1`) as the end of the job.
 */
export class CsvOutput {
  private waiting: (() => void)[] = [];
  private full = false;
  private closed = false;
  /** Set when the output failed for another reason than its reader leaving. */
  failure: Error | null = null;

  constructor(
    private readonly out: Writable,
    private readonly onClosed: () => void,
  ) {
    out.on('drain', () => this.release());
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') this.failure = error;
      this.closed = true;
      this.release();
      this.onClosed();
    });
  }

  /** True once nothing more can be written: the reader is gone or writing failed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** True while the destination takes more without waiting. */
  private get isWritable(): boolean {
    return !this.full || this.closed;
  }

  write(rows: readonly Row[]): void {
    if (rows.length === 0 || this.closed) return;
    if (!this.out.write(csvText(rows))) this.full = true;
  }

  /** Calls back at once, or when the destination has drained what it was given. */
  whenWritable(callback: () => void): void {
    if (this.isWritable) callback();
    else this.waiting.push(callback);
  }

  private release(): void {
    this.full = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
  }
}
