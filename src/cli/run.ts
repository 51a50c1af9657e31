import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import split2 from 'split2';
import { LineDecoder } from '../core/line-decoder.js';
import { outputColumns } from '../core/output-columns.js';
import type { RunConfig } from './args.js';
import { CsvOutput } from './csv-output.js';
import { DeadLetter } from './dead-letter.js';
import { EXIT, exitStatus } from './exit-codes.js';
import { LineGuard, type LineFlags } from './line-guard.js';
import { LineProcessor, StrictStop } from './line-processor.js';
import { Counts, Reporter } from './reporter.js';

export type Signal = 'SIGINT' | 'SIGTERM';

/** The world a run touches, injectable so it can be tested in process. */
export interface RunIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stderrIsTty: boolean;
  /** Milliseconds since the epoch, for datetime_inserted. */
  readonly now: () => number;
  /** Milliseconds, for the live count and the summary's duration. */
  readonly elapsedClock: () => number;
  readonly openInput: (path: string) => Readable;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  readonly onSignal: (listener: (signal: Signal) => void) => () => void;
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined && e.syscall !== undefined ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message ?? e);
}

/** A clock formatted for datetime_inserted, computed again only when the millisecond changes. */
function insertedAtClock(now: () => number, epoch: boolean): () => string {
  let last = Number.NaN;
  let text = '';
  return () => {
    const ms = now();
    if (ms !== last) {
      last = ms;
      text = epoch ? String(ms) : new Date(ms).toISOString();
    }
    return text;
  };
}

/** Converts every input in turn to CSV on stdout; returns the exit status. */
export async function run(config: RunConfig, io: RunIo): Promise<number> {
  const reporter = new Reporter(io.stderr, { quiet: config.quiet, stats: config.stats, tty: io.stderrIsTty, now: io.elapsedClock });
  let deadLetter: DeadLetter | null = null;
  if (config.errorsFile !== undefined) {
    try {
      deadLetter = DeadLetter.open(config.errorsFile);
    } catch (error) {
      reporter.error(`--errors ${config.errorsFile}: cannot open (${errorText(error)})`);
      return EXIT.io;
    }
  }

  let current: { source: Readable; guard: LineGuard; done: Writable } | null = null;
  let signal: Signal | null = null;
  let ioFailed = false;
  const stopCurrent = (): void => {
    current?.source.destroy();
  };
  const output = new CsvOutput(io.stdout, stopCurrent);
  const counts = new Counts();
  const context = {
    decoder: new LineDecoder(config.pivot),
    output,
    reporter,
    counts,
    deadLetter,
    strict: config.strict,
    maxLineBytes: config.maxLineBytes,
    insertedAt: insertedAtClock(io.now, config.pivot.timestamps === 'epoch'),
  };

  const unsubscribe = io.onSignal((received) => {
    if (signal !== null) return;
    signal = received;
    if (current === null) return;
    // Stop reading, but let every line already read reach the output before the source goes.
    const { source, guard, done } = current;
    done.once('finish', () => source.destroy());
    guard.stop();
  });

  if (config.header) output.write([outputColumns(config.pivot)]);
  reporter.startProgress(counts);
  try {
    for (const input of config.inputs) {
      if (signal !== null || output.isClosed) break;
      const name = input === '-' ? 'stdin' : input;
      let source: Readable;
      try {
        source = input === '-' ? io.stdin : io.openInput(input);
      } catch (error) {
        reporter.error(`${name}: cannot read (${errorText(error)})`);
        ioFailed = true;
        continue;
      }
      const flags: LineFlags = new Map();
      const processor = new LineProcessor(context, name, flags);
      const guard = new LineGuard(config.maxLineBytes, flags, processor.afterChunk);
      // split2 calls the processor for each line and passes nothing on: this only marks the end.
      const done = new Writable({ objectMode: true, write: (_line, _encoding, next) => next() });
      current = { source, guard, done };
      try {
        await pipeline(source, guard, split2('\n', processor.take), done);
      } catch (error) {
        if (error instanceof StrictStop || signal !== null || output.isClosed) break;
        reporter.error(`${name}: cannot read (${errorText(error)})`);
        ioFailed = true;
      } finally {
        // However the input ended, the rows of the lines it gave are written.
        processor.flush();
        current = null;
      }
    }
  } finally {
    unsubscribe();
    reporter.finish(counts);
    deadLetter?.close();
  }
  if (output.failure !== null) {
    reporter.error(`cannot write the output (${errorText(output.failure)})`);
    ioFailed = true;
  }
  if (deadLetter?.failure) {
    reporter.error(`--errors ${deadLetter.path}: cannot write (${errorText(deadLetter.failure)})`);
    ioFailed = true;
  }
  return exitStatus({ signal, ioFailed, rejected: counts.rejected });
}
