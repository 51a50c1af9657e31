import { Writable } from 'node:stream';
import type { Row } from '../core/columns.js';
import type { LineDecoder, LineOutcome } from '../core/line-decoder.js';
import type { CsvOutput } from './csv-output.js';
import type { DeadLetter } from './dead-letter.js';
import type { LineFlag, LineGuard } from './line-guard.js';
import { excerpt, type Counts, type Reporter } from './reporter.js';

/** Rows held back for one write at most; about one input chunk's worth of enveloped events. */
const MAX_BATCH_ROWS = 512;

/** Aborts an input's pipeline: the output's reader left, or --strict met a rejected line. */
export class StopReading extends Error {
  constructor(readonly why: 'output-closed' | 'strict') {
    super(why);
  }
}

/** What every input of a run shares. */
export interface RunContext {
  readonly decoder: LineDecoder;
  readonly output: CsvOutput;
  readonly reporter: Reporter;
  readonly counts: Counts;
  readonly deadLetter: DeadLetter | null;
  readonly strict: boolean;
  readonly maxLineBytes: number;
  /** The rows' datetime_inserted, from the run's clock. */
  readonly insertedAt: () => string;
}

function flagReason(flag: LineFlag, maxLineBytes: number): string {
  return flag.kind === 'too-long'
    ? `line of ${flag.bytes.toLocaleString('en-US')} bytes is over --max-line-bytes ${maxLineBytes.toLocaleString('en-US')} (not kept, not copied to --errors)`
    : 'not valid UTF-8';
}

/**
 * The end of one input's pipeline: numbers its lines, converts each, and writes the rows of all
 * the lines that arrived together in one go, as soon as they have arrived.
 */
export class LineSink extends Writable {
  private line = 0;
  private batch: Row[] = [];
  private flushQueued = false;

  constructor(
    private readonly run: RunContext,
    private readonly name: string,
    private readonly guard: LineGuard,
  ) {
    super({ objectMode: true, highWaterMark: 64 });
  }

  override _write(text: string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const { output } = this.run;
    if (output.isClosed) return done(new StopReading('output-closed'));
    const outcome = this.convert(text);
    if (outcome === 'stop') {
      this.flush();
      return done(new StopReading('strict'));
    }
    if (this.batch.length >= MAX_BATCH_ROWS) {
      // A source that never yields (an in-memory stream) would otherwise batch everything.
      this.flush();
    } else if (!this.flushQueued) {
      this.flushQueued = true;
      // split2 hands over a chunk's lines one by one in one go: their rows are written together.
      queueMicrotask(() => this.flush());
    }
    output.whenWritable(() => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush();
    done();
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.run.output.write(rows);
  }

  private convert(text: string): 'stop' | undefined {
    const { counts, reporter } = this.run;
    this.line++;
    counts.lines++;
    const where = `${this.name}:${this.line}`;
    let line = text.charCodeAt(text.length - 1) === 0x0d ? text.slice(0, -1) : text;
    if (this.line === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const flag = this.guard.takeFlag(this.line);
    const outcome: LineOutcome =
      flag === undefined ? this.run.decoder.decode(line, this.run.insertedAt()) : { kind: 'rejected', reason: flagReason(flag, this.run.maxLineBytes) };
    switch (outcome.kind) {
      case 'rows':
        counts.events++;
        counts.rows += outcome.rows.length;
        for (const row of outcome.rows) this.batch.push(row);
        for (const warning of outcome.warnings) reporter.warning(where, warning);
        return undefined;
      case 'tombstone':
        counts.tombstones++;
        return undefined;
      case 'skipped':
        counts.skipped[outcome.what]++;
        return undefined;
      case 'rejected': {
        counts.rejected++;
        const shown = flag?.kind === 'too-long' ? excerpt(flag.head.toString('utf8')) : excerpt(line);
        reporter.rejected(where, outcome.reason, shown);
        if (flag?.kind !== 'too-long') this.run.deadLetter?.write(flag?.kind === 'invalid-utf8' ? flag.raw : `${text}\n`);
        return this.run.strict ? 'stop' : undefined;
      }
    }
  }
}
