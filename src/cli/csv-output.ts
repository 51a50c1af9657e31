import { stringify, type Options } from 'csv-stringify/sync';
import type { Writable } from 'node:stream';
import type { OutputRow } from '../core/columns.js';

// PostgreSQL's COPY … CSV reads an unquoted empty field as NULL and "" as '': an empty string must
// be quoted and a null must not, which no quoting option of csv-stringify expresses (quoted_empty
// quotes nulls too). With a record_delimiter set, csv-stringify quotes a field holding \n but not a
// lone \r, which COPY would take for a line end. Both rare cases are quoted by a string cast; per
// row it costs a fifth less than the equivalent quoted_match regexes (bench/README.md).
// bench/naive-loop.mjs --csv-stringify repeats these options: change both together.
const QUOTED_EMPTY = { value: '', quoted_empty: true };
const CSV_OPTIONS: Options = {
  record_delimiter: 'unix',
  cast: {
    string: (value) => (value === '' ? QUOTED_EMPTY : value.indexOf('\r') === -1 ? value : { value, quoted: true }),
  },
};

/** RFC 4180 text of rows, one record per row, each ending in \n. */
export function csvText(rows: readonly OutputRow[]): string {
  return stringify(rows as OutputRow[], CSV_OPTIONS);
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

  write(rows: readonly OutputRow[]): void {
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
