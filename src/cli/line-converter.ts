import type { OutputRow } from '../core/columns.js';
import type { LineDecoder, LineOutcome } from '../core/line-decoder.js';
import type { DeadLetter } from './dead-letter.js';
import { excerpt, headText, type Counts, type Reporter } from './reporter.js';
import { count } from './terminal-text.js';
import type { Line, LineBatch, UnreadableLine } from './whole-lines.js';

/** What converting lines needs besides the lines. */
export interface ConverterContext {
  readonly decoder: LineDecoder;
  readonly reporter: Reporter;
  readonly counts: Counts;
  readonly deadLetter: DeadLetter | null;
  readonly strict: boolean;
  readonly maxLineBytes: number;
  /** The rows' datetime_inserted, from the run's clock. */
  readonly insertedAt: () => string;
  /** Ends the run under --strict: at the first rejected line, or event without a column an option names. */
  readonly stop: (reason: 'rejected' | 'usage') => void;
}

const BOM = 0xfeff;
const CR = 0x0d;

/** Where the batch's line `i` is, as messages name it: input:line. */
const where = (batch: LineBatch, i: number): string => `${batch.input}:${batch.first + i}`;
/** A line's text without the CR of a CRLF line end. */
const withoutCr = (line: string): string => (line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line);

/** A rejected line's excerpt, with the size of the line as it was read, in bytes, without its end. */
function shownLine(line: Line): string {
  if (typeof line === 'string') {
    const text = withoutCr(line);
    return excerpt(text, Buffer.byteLength(text));
  }
  if (line.kind === 'too-long') return excerpt(headText(line.head), line.bytes);
  const bytes = line.raw[line.raw.length - 1] === CR ? line.raw.length - 1 : line.raw.length;
  return excerpt(line.raw.toString('utf8'), bytes);
}

/**
 * The pipeline's middle stage: the rows of a batch of whole lines, each line decoded by the core.
 * Rejected lines and warnings are reported as they are met, and rejected lines copied to --errors.
 * Under --strict the first rejected line, or event without a column an option names, ends the
 * conversion: the rows before it are returned, nothing from it on is converted.
 */
export class LineConverter {
  private stopped = false;

  constructor(private readonly run: ConverterContext) {}

  /** The rows of a batch's lines, in order; nothing once --strict has stopped. */
  rowsOf(batch: LineBatch): OutputRow[] {
    const rows: OutputRow[] = [];
    const { lines } = batch;
    for (let i = 0; i < lines.length && !this.stopped; i++) {
      const line = lines[i] as Line;
      this.run.counts.lines++;
      const outcome = typeof line === 'string' ? this.decode(line, batch.first + i) : { kind: 'rejected' as const, reason: this.unreadable(line) };
      this.take(outcome, rows, batch, i);
    }
    return rows;
  }

  private decode(line: string, number: number): LineOutcome {
    let text = withoutCr(line);
    if (text.charCodeAt(0) === BOM) {
      // A byte order mark is the start of a file: after the first line, files were joined.
      if (number > 1) return { kind: 'rejected', reason: 'starts with a byte order mark (U+FEFF), which belongs only at the start of an input' };
      text = text.slice(1);
    }
    return this.run.decoder.decode(text, this.run.insertedAt());
  }

  private unreadable(line: UnreadableLine): string {
    if (line.kind === 'invalid-utf8') return 'not valid UTF-8';
    return `line of ${count(line.bytes)} bytes is over --max-line-bytes ${count(this.run.maxLineBytes)} (not kept)`;
  }

  private stopHere(reason: 'rejected' | 'usage'): void {
    this.stopped = true;
    this.run.stop(reason);
  }

  private take(outcome: LineOutcome, rows: OutputRow[], batch: LineBatch, i: number): void {
    const { counts, reporter } = this.run;
    switch (outcome.kind) {
      case 'rows':
        if (this.run.strict) {
          const unknown = outcome.warnings.find((warning) => warning.code === 'column-unknown');
          if (unknown !== undefined) {
            reporter.error(`${where(batch, i)}: the table has no column "${unknown.subject}" (check --fields and the --*-field options); --strict stops here`);
            this.stopHere('usage');
            return;
          }
        }
        counts.events++;
        counts.rows += outcome.rows.length;
        for (const row of outcome.rows) rows.push(row);
        for (const warning of outcome.warnings) reporter.warning(where(batch, i), warning);
        return;
      case 'tombstone':
        counts.tombstones++;
        return;
      case 'skipped':
        counts.skipped[outcome.what]++;
        if (outcome.notice !== undefined) reporter.warning(where(batch, i), outcome.notice);
        return;
      case 'rejected': {
        counts.rejected++;
        const line = batch.lines[i] as Line;
        reporter.rejected(where(batch, i), outcome.reason, shownLine(line));
        this.run.deadLetter?.write(line, batch.input, batch.first + i);
        if (this.run.strict) this.stopHere('rejected');
      }
    }
  }
}
