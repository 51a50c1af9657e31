// A run is one pipeline, each stage's output the next one's input:
//
//   inputs' bytes → whole lines (WholeLines) → rows (LineConverter) → CSV (CsvWriter) → stdout
//
// The first two stages are plain functions called on each chunk inside one generator, the writer
// a stream: backpressure is the stream machinery's (the writer has one write in flight, and the
// generator waits at its `yield` until the writer takes what it gives), so reading waits for
// stdout. Every way a run stops early — SIGINT/SIGTERM, --strict, the output closing — aborts the
// one AbortController: reading stops, every line already read is converted and written, and the
// pipeline ends as a finished one does.
//
// Why the middle stages are function calls and not generators of their own, and why the writer
// empties each array of rows it writes: whatever the stream machinery holds between two chunks (a
// suspended generator's batch, the last array passed on) survives V8's scavenges, enough that V8
// grows its young generation and the peak RSS with it, at the same speed. WholeLines cuts and
// decodes a chunk's run of whole lines at once, several times faster than a line splitter fed
// arbitrary chunks. All measured: bench/README.md ("Measurements behind the code").
import { addAbortSignal, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OutputRow } from '../core/columns.js';
import { LineDecoder } from '../core/line-decoder.js';
import { outputColumns } from '../core/output-columns.js';
import type { RunConfig } from './args.js';
import { CsvWriter } from './csv-writer.js';
import { DeadLetter } from './dead-letter.js';
import { EXIT, exitStatus } from './exit-codes.js';
import { fileIdentity, type FileIdentity } from './file-input.js';
import { LineConverter } from './line-converter.js';
import { insertedAtClock } from './inserted-at.js';
import { Counts, Reporter } from './reporter.js';
import { WholeLines, type LineBatch } from './whole-lines.js';
import type { Terminal } from './terminal.js';

export type Signal = 'SIGINT' | 'SIGTERM';

/** Why a run stopped before the end of its inputs. */
type StopReason = Signal | 'rejected' | 'usage' | 'output-closed';

/** The world a run touches, injectable so it can be tested in process. */
export interface RunIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** What stderr is: a terminal or not, its width, whether this job is its foreground. */
  readonly stderrTerminal: Terminal;
  readonly env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch, for datetime_inserted unless SOURCE_DATE_EPOCH pins it. */
  readonly now: () => number;
  /** Milliseconds, for the live count and the summary's duration. */
  readonly elapsedClock: () => number;
  readonly openInput: (path: string) => Readable;
  /** Which file descriptor 0 or 1 is; null when it is no file (or an injected stream). */
  readonly standardFile: (fd: 0 | 1) => FileIdentity | null;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  readonly onSignal: (listener: (signal: Signal) => void) => () => void;
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined && e.syscall !== undefined ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message ?? e);
}

/**
 * Every stage before the writer: each input in turn, its bytes cut into whole lines (WholeLines),
 * each batch of lines converted to rows (`rowsOf`), until the end or a stop. An input that cannot
 * be read is reported through `unreadable` and the next one is read, as cat does; the part of a
 * line it was in the middle of is dropped, as is the line in progress at a stop.
 */
async function* rowsOfInputs(
  inputs: readonly string[],
  open: (input: string) => Readable,
  maxLineBytes: number,
  rowsOf: (batch: LineBatch) => OutputRow[],
  stop: AbortSignal,
  unreadable: (name: string, error: unknown) => void,
): AsyncGenerator<OutputRow[]> {
  for (const input of inputs) {
    if (stop.aborted) return;
    const name = input === '-' ? 'stdin' : input;
    const lines = new WholeLines(name, maxLineBytes);
    // No batch is kept in a variable across a yield (see the top of this file).
    const rows = (batch: LineBatch | null): OutputRow[] => (batch === null ? [] : rowsOf(batch));
    try {
      // A stop destroys the source, which ends this loop with an error, even while it waits for data.
      for await (const chunk of addAbortSignal(stop, open(input)) as AsyncIterable<Buffer | string>) {
        const converted = rows(lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
        if (converted.length > 0) yield converted;
      }
      const last = rows(lines.end());
      if (last.length > 0) yield last;
    } catch (error) {
      if (!stop.aborted) unreadable(name, error);
    }
  }
}

/**
 * Why the run must not start when an input is also an output, as cat refuses to: the rejected
 * lines or rows written would be read again, and an --errors file would grow without end. Only a
 * regular file can be both (a terminal or /dev/null can be an input and an output harmlessly).
 */
function inputIsOutput(inputs: readonly string[], io: RunIo, deadLetter: DeadLetter | null): string | null {
  const outputs: [string, FileIdentity | null][] = [
    ['the --errors file', deadLetter?.identity ?? null],
    ['stdout', io.standardFile(1)],
  ];
  for (const input of inputs) {
    const file = input === '-' ? io.standardFile(0) : fileIdentity(input);
    if (file === null || !file.regular) continue;
    const output = outputs.find(([, out]) => out !== null && out.dev === file.dev && out.ino === file.ino);
    if (output !== undefined) return `${input === '-' ? 'stdin' : input}: input file is output file (${output[0]})`;
  }
  return null;
}

/** Converts every input in turn to CSV on stdout; returns the exit status. */
export async function run(config: RunConfig, io: RunIo): Promise<number> {
  const reporter = new Reporter(io.stderr, {
    quiet: config.quiet,
    stats: config.stats,
    progress: config.progress,
    terminal: io.stderrTerminal,
    now: io.elapsedClock,
  });
  let deadLetter: DeadLetter | null = null;
  if (config.errors !== undefined) {
    try {
      deadLetter = DeadLetter.open(config.errors);
    } catch (error) {
      reporter.error(`--errors ${config.errors}: cannot open (${errorText(error)})`);
      return EXIT.io;
    }
  }
  const refusal = inputIsOutput(config.inputs, io, deadLetter);
  if (refusal !== null) {
    deadLetter?.close();
    reporter.error(refusal);
    return EXIT.usage;
  }

  const stopper = new AbortController();
  const stop = (reason: StopReason): void => stopper.abort(reason);
  let ioFailed = false;
  const counts = new Counts();
  const pinned = config.pinnedTime;
  const converter = new LineConverter({
    decoder: new LineDecoder(config),
    reporter,
    counts,
    deadLetter,
    strict: config.strict,
    maxLineBytes: config.maxLineBytes,
    insertedAt: insertedAtClock(pinned === undefined ? io.now : () => pinned, config.timestamps === 'epoch'),
    stop,
  });
  const writer = new CsvWriter(io.stdout, () => stop('output-closed'));
  const unsubscribe = io.onSignal(stop);
  const open = (input: string): Readable => (input === '-' ? io.stdin : io.openInput(input));

  reporter.startProgress(counts);
  try {
    await pipeline(
      async function* csvRows(): AsyncGenerator<OutputRow[]> {
        if (config.header) yield [outputColumns(config)];
        yield* rowsOfInputs(config.inputs, open, config.maxLineBytes, (batch) => converter.rowsOf(batch), stopper.signal, (name, error) => {
          reporter.error(`${name}: cannot read (${errorText(error)})`);
          ioFailed = true;
        });
      },
      writer,
    );
  } finally {
    unsubscribe();
    reporter.finish(counts);
    deadLetter?.close();
  }
  if (writer.failure !== null) {
    reporter.error(`cannot write the output (${errorText(writer.failure)})`);
    ioFailed = true;
  }
  if (deadLetter?.failure) {
    reporter.error(`--errors ${deadLetter.path}: cannot write (${errorText(deadLetter.failure)})`);
    ioFailed = true;
  }
  const reason = stopper.signal.reason as StopReason | undefined;
  const signal = reason === 'SIGINT' || reason === 'SIGTERM' ? reason : null;
  return exitStatus({ signal, ioFailed, usage: reason === 'usage', rejected: counts.rejected });
}
