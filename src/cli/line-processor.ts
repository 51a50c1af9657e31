import type { OutputRow } from '../core/columns.js';
import type { LineDecoder, LineOutcome } from '../core/line-decoder.js';
import type { CsvOutput } from './csv-output.js';
import type { DeadLetter } from './dead-letter.js';
import type { LineFlag, LineFlags } from './line-guard.js';
import { excerpt, type Counts, type Reporter } from './reporter.js';

/** Rows held back for one write at most; about one input chunk's worth of enveloped events. */
const MAX_BATCH_ROWS = 512;

/** Ends the run at the first rejected line under --strict, thrown through split2 to the pipeline. */
export class StrictStop extends Error {}

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
 * Converts one input's lines as split2 hands them over (it is split2's mapper), numbering them,
 * and writes the rows of all the lines of one chunk in one go, as soon as the chunk is split.
 */
export class LineProcessor {
  private line = 0;
  private batch: OutputRow[] = [];
  private flushQueued = false;

  constructor(
    private readonly run: RunContext,
    private readonly name: string,
    private readonly flags: LineFlags,
  ) {}

  /** split2's mapper: returns nothing, so split2 itself never buffers lines or rows. */
  readonly take = (text: string): undefined => {
    const outcome = this.convert(text);
    if (outcome === 'stop') {
      this.flush();
      throw new StrictStop('--strict');
    }
    if (this.batch.length >= MAX_BATCH_ROWS) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      // Normally the guard flushes when its chunk is done; this covers lines split2 hands over later.
      queueMicrotask(() => this.flush());
    }
    return undefined;
  };

  /**
   * Writes what the chunk's lines gave, then calls back once the output can take more: the
   * guard waits for this before it takes the next chunk, which is how a slow reader slows reading.
   */
  readonly afterChunk = (proceed: () => void): void => {
    this.flush();
    this.run.output.whenWritable(proceed);
  };

  /** Writes the rows converted so far. */
  flush(): void {
    this.flushQueued = false;
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.run.output.write(rows);
  }

  private where(): string {
    return `${this.name}:${this.line}`;
  }

  private convert(text: string): 'stop' | undefined {
    const { counts, reporter } = this.run;
    this.line++;
    counts.lines++;
    let line = text.charCodeAt(text.length - 1) === 0x0d ? text.slice(0, -1) : text;
    if (this.line === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const flag = this.flags.size === 0 ? undefined : this.flags.get(this.line);
    if (flag !== undefined) this.flags.delete(this.line);
    const outcome: LineOutcome =
      flag === undefined ? this.run.decoder.decode(line, this.run.insertedAt()) : { kind: 'rejected', reason: flagReason(flag, this.run.maxLineBytes) };
    switch (outcome.kind) {
      case 'rows':
        counts.events++;
        counts.rows += outcome.rows.length;
        for (const row of outcome.rows) this.batch.push(row);
        for (const warning of outcome.warnings) reporter.warning(this.where(), warning);
        return undefined;
      case 'tombstone':
        counts.tombstones++;
        return undefined;
      case 'skipped':
        counts.skipped[outcome.what]++;
        if (outcome.notice !== undefined) reporter.warning(this.where(), outcome.notice);
        return undefined;
      case 'rejected': {
        counts.rejected++;
        const shown = flag?.kind === 'too-long' ? excerpt(flag.head.toString('utf8')) : excerpt(line);
        reporter.rejected(this.where(), outcome.reason, shown);
        if (flag?.kind !== 'too-long') this.run.deadLetter?.write(flag?.kind === 'invalid-utf8' ? flag.raw : `${text}\n`);
        return this.run.strict ? 'stop' : undefined;
      }
    }
  }
}
