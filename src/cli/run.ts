// A run is one pipeline, each stage's output the next one's input:
//
//   inputs' bytes → whole lines (whole-lines.ts) → rows as CSV (LineConverter) → reported (report) → stdout (CsvWriter)
//
// The conversion runs in this thread, or, for large inputs, in worker threads (parallel.ts): each
// converts runs of whole lines into CSV text and notes, and this thread reports the notes and
// writes the text in input order, so the output, messages and exit status are the same either way.
// The stages before the writer are function calls on each chunk inside one generator, the writer a
// stream: backpressure is the stream machinery's (the writer has one write in flight, and the
// generator waits at its `yield` until the writer takes what it gives), so reading waits for
// stdout. Every way a run stops early — SIGINT/SIGTERM, --strict, the output closing — aborts the
// one AbortController: reading stops, every line already read is converted and written (under
// --strict, none after the stopping line), and the pipeline ends as a finished one does.
//
// Why no batch is held across a `yield`: whatever the stream machinery holds between two chunks
// survives V8's scavenges, enough that V8 grows its young generation and the peak RSS with it. All
// measured: bench/README.md ("Measurements behind the code").
import { addAbortSignal, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LineDecoder } from '../core/line-decoder.js';
import { outputColumns } from '../core/output-columns.js';
import type { RunConfig } from './args.js';
import { report, type ReportContext } from './batch-report.js';
import { csvText } from './csv-text.js';
import { CsvWriter } from './csv-writer.js';
import { DeadLetter } from './dead-letter.js';
import { EXIT, exitStatus } from './exit-codes.js';
import { fileIdentity, type FileIdentity } from './file-input.js';
import type { Converted, StrictStop } from './line-converter.js';
import { insertedAtClock } from './inserted-at.js';
import { jobConverter } from './conversion-job.js';
import { convertedRanges, convertedStream, type Pooled, type PositionedFile } from './parallel.js';
import { autoThreads, PARALLEL_MIN_BYTES, streamPays } from './thread-plan.js';
import { Counts, Reporter } from './reporter.js';
import type { Terminal } from './terminal.js';
import { ConversionThreadError } from './thread-error.js';
import { releaseHeapGrowth } from './heap-growth.js';

export type Signal = 'SIGINT' | 'SIGTERM';


/** Why a run stopped before the end of its inputs. */
type StopReason = Signal | StrictStop | 'output-closed';

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
  /** An input ("-": stdin) that is a regular file worker threads can read by position; null otherwise. */
  readonly positionedFile: (input: string) => PositionedFile | null;
  /** The conversion threads' script (dist/worker.js); null where there is none (tsx, tests): one thread. */
  readonly workerScript: URL | null;
  /** How many processors are idle now (for --threads auto). */
  readonly idleProcessors: () => Promise<number>;
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined && e.syscall !== undefined ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message ?? e);
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

/**
 * The worker threads of a run, started when the first input that needs them comes: as many as
 * --threads says (or auto finds idle processors) less one, for the run's own thread.
 */
class Threads {
  private started: Pooled | null = null;
  private auto: number | null = null;

  constructor(
    private readonly config: RunConfig,
    private readonly script: URL | null,
    private readonly idleProcessors: () => Promise<number>,
  ) {}

  /** The workers to convert an input of `bytes` with (null: a stream so far); null for this thread alone. */
  async forInput(bytes: number | null): Promise<Pooled | null> {
    const { threads } = this.config;
    if (this.script === null || threads === 1) return null;
    let count: number;
    if (threads === 'auto') {
      if (bytes !== null && bytes < PARALLEL_MIN_BYTES) return null;
      this.auto ??= autoThreads(await this.idleProcessors());
      count = this.auto;
    } else count = threads;
    if (count < 2) return null;
    if (this.started === null) {
      // Loaded only now: a run without threads does not pay for node:worker_threads.
      const { WorkerPool } = await import('./worker-pool.js');
      this.started = { pool: new WorkerPool(this.script, count - 1, { config: this.config }), workers: count - 1 };
    }
    return this.started;
  }

  /** Called before this thread converts lines alone (heap-growth.ts says why). */
  alone(): void {
    if (this.started === null) releaseHeapGrowth();
  }

  async close(): Promise<void> {
    await this.started?.pool.close();
  }
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
  const decoder = new LineDecoder(config);
  const insertedAt = insertedAtClock(pinned === undefined ? io.now : () => pinned, config.timestamps === 'epoch');
  // Every line this thread converts, alone or beside workers.
  const convertHere = jobConverter(decoder, config, insertedAt);
  const reports: ReportContext = { reporter, counts, deadLetter, stop };
  const threads = new Threads(config, io.workerScript, io.idleProcessors);
  const writer = new CsvWriter(io.stdout, () => stop('output-closed'));
  const unsubscribe = io.onSignal(stop);

  /** An input's lines converted, by threads reading a file by position, or as its stream arrives. */
  async function* convertedInput(input: string): AsyncGenerator<Converted> {
    const file = io.positionedFile(input);
    const pooled = file === null ? null : await threads.forInput(file.size - file.start);
    if (file !== null && pooled !== null) {
      try {
        yield* convertedRanges(pooled, convertHere, file, stopper.signal);
      } finally {
        file.close();
      }
      return;
    }
    file?.close();
    // A stop destroys the source, which ends its reading with an error, even while it waits for data.
    const source = addAbortSignal(stopper.signal, input === '-' ? io.stdin : io.openInput(input));
    yield* convertedStream(source, {
      maxLineBytes: config.maxLineBytes,
      convertHere: (job) => {
        threads.alone();
        return convertHere(job);
      },
      pool: (bytes, elapsed) => (config.threads === 'auto' && !streamPays(bytes, elapsed) ? Promise.resolve(null) : threads.forInput(null)),
      clock: io.elapsedClock,
    });
  }

  /**
   * Every stage before the writer: each input in turn, converted and reported. An input that
   * cannot be read is reported and the next one is read, as cat does; the part of a line it was in
   * the middle of is dropped, as is the line in progress at a stop.
   */
  async function* csvOfInputs(): AsyncGenerator<string | Uint8Array> {
    if (config.header) yield csvText([outputColumns(config)]);
    for (const input of config.inputs) {
      if (stopper.signal.aborted) return;
      const name = input === '-' ? 'stdin' : input;
      try {
        for await (const converted of convertedInput(input)) {
          report(reports, converted, name);
          if (converted.csv.length > 0) yield converted.csv;
          // Under --strict nothing after the stopping line is written, though threads may have converted it.
          if (converted.stop !== null) return;
        }
      } catch (error) {
        if (error instanceof ConversionThreadError) {
          reporter.error(`${name}: internal error, please report it: ${error.message}`);
          ioFailed = true;
          return;
        }
        if (!stopper.signal.aborted) {
          reporter.error(`${name}: cannot read (${errorText(error)})`);
          ioFailed = true;
        }
      }
    }
  }

  reporter.startProgress(counts);
  try {
    await pipeline(csvOfInputs, writer);
  } finally {
    unsubscribe();
    await threads.close();
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
