import { stringify } from 'csv-stringify/sync';
import { Writable } from 'node:stream';
import type { OutputRow } from '../core/columns.js';
import { CSV_OPTIONS } from './csv-options.js';

/** RFC 4180 text of rows, one record per row, each ending in \n. */
export function csvText(rows: readonly OutputRow[]): string {
  return stringify(rows as OutputRow[], CSV_OPTIONS);
}

/**
 * The CSV text of rows handed over to be written, emptying their array: the stream machinery keeps
 * the last array it passed on until the next arrives, and a chunk's rows held that long survive
 * V8's scavenges often enough to make it grow its young generation (bench/README.md).
 */
function written(rows: OutputRow[]): string {
  const text = csvText(rows);
  rows.length = 0;
  return text;
}

/**
 * The pipeline's last stage: takes arrays of rows, which become its own, and writes them to the
 * output as CSV, whole arrays at a time, so a partial row never reaches it. One write is in flight
 * at a time: what arrives meanwhile is written in one go (writev), and what waits behind it holds
 * the stages before back. When the output goes away (EPIPE, as with `| head -1`) or fails, it says
 * so through `onClosed` and takes the rest without writing it, so the stages before end normally.
 */
export class CsvWriter extends Writable {
  /** Set when the output failed for another reason than its reader leaving. */
  failure: Error | null = null;
  private outputGone = false;

  constructor(
    private readonly out: Writable,
    onClosed: () => void,
  ) {
    super({ objectMode: true });
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') this.failure = error;
      this.outputGone = true;
      onClosed();
    });
  }

  override _write(rows: OutputRow[], _encoding: BufferEncoding, done: () => void): void {
    this.send(written(rows), done);
  }

  override _writev(chunks: { chunk: OutputRow[] }[], done: () => void): void {
    // One csv-stringify call per array: its cost a row grows with the rows of a call.
    this.send(chunks.map(({ chunk }) => written(chunk)).join(''), done);
  }

  private send(text: string, done: () => void): void {
    if (this.outputGone) return done();
    // A write that fails is reported through the output's 'error' event, above.
    this.out.write(text, () => done());
  }
}
