import type { OutputRow } from '../core/columns.js';
import type { LineDecoder, LineOutcome } from '../core/line-decoder.js';
import type { Warning } from '../core/values.js';
import { csvText } from './csv-text.js';
import { Counts, excerpt, headText } from './reporter.js';
import { count } from './terminal-text.js';
import type { Line, LineBatch, UnreadableLine } from './whole-lines.js';

/** What converting lines needs besides the lines. */
export interface ConverterContext {
  readonly decoder: LineDecoder;
  readonly strict: boolean;
  readonly maxLineBytes: number;
  /** The rows' datetime_inserted, from the run's clock. */
  readonly insertedAt: () => string;
}

/** Something about one line the run must tell, or act on; `line` is the line's number in its batch's numbering. */
export type LineNote =
  | { readonly kind: 'warning'; readonly line: number; readonly warning: Warning }
  /** `shown`: the excerpt for the message; `raw`: the line as read, for --errors. */
  | { readonly kind: 'rejected'; readonly line: number; readonly reason: string; readonly shown: string; readonly raw: Line }
  /** Under --strict: an event without a column an option names, which stops the run. */
  | { readonly kind: 'unknown-column'; readonly line: number; readonly column: string };

/** Why --strict stopped the conversion, at the last note. */
export type StrictStop = 'rejected' | 'usage';

/**
 * What a run of lines converts to: the CSV text of its rows, what it counted, and the lines to
 * report, in order. Made where the lines are converted (here, or in a worker thread) and reported
 * where the run is (batch-report.ts), so the two can be in different threads.
 */
export interface Converted {
  readonly csv: string | Uint8Array;
  readonly counts: Counts;
  readonly notes: LineNote[];
  /** Set when --strict stopped: nothing after the last note was converted. */
  readonly stop: StrictStop | null;
}

const BOM = 0xfeff;
const CR = 0x0d;

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
  return excerpt(Buffer.from(line.raw.buffer, line.raw.byteOffset, line.raw.length).toString('utf8'), bytes);
}

/**
 * The pipeline's middle stage: the rows of whole lines, each line decoded by the core, as CSV,
 * and what the run must report about them. Under --strict the first rejected line, or event
 * without a column an option names, ends the conversion: the rows before it are kept, nothing from
 * it on is converted. It touches no stream and no stderr, so it runs in a worker thread as well.
 */
export class LineConverter {
  private stopped: StrictStop | null = null;

  constructor(private readonly run: ConverterContext) {}

  /**
   * The rows of a batch's lines, in order; nothing once --strict has stopped. `atInputStart`: the
   * batch's numbering starts at its input's first line, the only one a byte order mark may start.
   */
  convert(batch: LineBatch, atInputStart: boolean): Converted {
    const rows: OutputRow[] = [];
    const counts = new Counts();
    const notes: LineNote[] = [];
    const { lines } = batch;
    for (let i = 0; i < lines.length && this.stopped === null; i++) {
      const line = lines[i] as Line;
      const number = batch.first + i;
      counts.lines++;
      const outcome: LineOutcome =
        typeof line === 'string' ? this.decode(line, atInputStart && number === 1) : { kind: 'rejected', reason: this.unreadable(line) };
      this.take(outcome, line, number, rows, counts, notes);
    }
    return { csv: rows.length === 0 ? '' : csvText(rows), counts, notes, stop: this.stopped };
  }

  private decode(line: string, mayHaveBom: boolean): LineOutcome {
    let text = withoutCr(line);
    if (text.charCodeAt(0) === BOM) {
      // A byte order mark is the start of a file: after the first line, files were joined.
      if (!mayHaveBom) return { kind: 'rejected', reason: 'starts with a byte order mark (U+FEFF), which belongs only at the start of an input' };
      text = text.slice(1);
    }
    return this.run.decoder.decode(text, this.run.insertedAt());
  }

  private unreadable(line: UnreadableLine): string {
    if (line.kind === 'invalid-utf8') return 'not valid UTF-8';
    return `line of ${count(line.bytes)} bytes is over --max-line-bytes ${count(this.run.maxLineBytes)} (not kept)`;
  }

  private take(outcome: LineOutcome, line: Line, number: number, rows: OutputRow[], counts: Counts, notes: LineNote[]): void {
    switch (outcome.kind) {
      case 'rows':
        if (this.run.strict) {
          const unknown = outcome.warnings.find((warning) => warning.code === 'column-unknown');
          if (unknown !== undefined) {
            notes.push({ kind: 'unknown-column', line: number, column: unknown.subject });
            this.stopped = 'usage';
            return;
          }
        }
        counts.events++;
        counts.rows += outcome.rows.length;
        for (const row of outcome.rows) rows.push(row);
        for (const warning of outcome.warnings) notes.push({ kind: 'warning', line: number, warning });
        return;
      case 'tombstone':
        counts.tombstones++;
        return;
      case 'skipped':
        counts.skipped[outcome.what]++;
        if (outcome.notice !== undefined) notes.push({ kind: 'warning', line: number, warning: outcome.notice });
        return;
      case 'rejected':
        counts.rejected++;
        notes.push({ kind: 'rejected', line: number, reason: outcome.reason, shown: shownLine(line), raw: line });
        if (this.run.strict) this.stopped = 'rejected';
    }
  }
}
