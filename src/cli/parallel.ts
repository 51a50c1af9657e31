// Conversion over worker threads: when it pays, and the inputs' runs of lines in and their
// results out in input order. The decisions and their measurements: bench/README.md ("Parallel").
import type { Readable } from 'node:stream';
import type { Converted } from './line-converter.js';
import type { FileRange } from './range-reader.js';
import { LineCutter, type LineCut } from './whole-lines.js';
import type { Job, JobResult, WorkerPool } from './worker-pool.js';

/** The bytes of a file one job reads: enough to make a message's cost small, few enough to bound memory. */
const JOB_BYTES = 1024 * 1024;
/** Jobs in flight per thread: one converting, one waiting, so no thread idles between messages. */
const JOBS_PER_THREAD = 4;

/** A regular file read by position: its descriptor, where the input starts, and its size then. */
export interface PositionedFile {
  readonly fd: number;
  readonly start: number;
  readonly size: number;
  readonly close: () => void;
}


/** A result's notes numbered in its input, `before` lines having come before its run. */
function numbered(converted: Converted, before: number): Converted {
  if (converted.notes.length === 0 || before === 0) return converted;
  return { ...converted, notes: converted.notes.map((note) => ({ ...note, line: note.line + before })) };
}

/** Worker threads, and how many: the run's own thread works beside them. */
export interface Pooled {
  readonly pool: WorkerPool;
  readonly workers: number;
}

/**
 * A regular file converted in ranges of JOB_BYTES, by the workers, each reading its ranges
 * itself, and by the run's thread, which converts the next range whenever the oldest result is
 * not back yet: so no thread idles, and a run on two processors needs one worker's memory, not
 * two. Results come in file order, at most JOBS_PER_THREAD ranges ahead per thread, so memory
 * stays bounded however fast the threads and however slow the output. A stop ends the
 * dispatching; the ranges in flight still give their results. A read error ends the file after
 * the lines before it, as the single-threaded run does.
 */
export async function* convertedRanges(
  threads: Pooled,
  convertHere: (job: Job) => JobResult,
  file: PositionedFile,
  stop: AbortSignal,
): AsyncGenerator<Converted> {
  const queue: { result: JobResult | null; readonly promise: Promise<JobResult> | null }[] = [];
  let inWorkers = 0;
  let ownWaiting = 0;
  let next = file.start;
  const nextJob = (): Job => {
    const last = next + JOB_BYTES >= file.size;
    const job: Job = { kind: 'range', fd: file.fd, start: next, end: last ? -1 : next + JOB_BYTES, atInputStart: next === file.start };
    next = last ? -1 : next + JOB_BYTES;
    return job;
  };
  let lines = 0;
  for (;;) {
    const more = next !== -1 && !stop.aborted;
    while (more && next !== -1 && inWorkers < threads.workers * JOBS_PER_THREAD) {
      const entry: (typeof queue)[number] = { result: null, promise: handled(threads.pool.submit(nextJob())) };
      inWorkers++;
      const settled = (): void => void inWorkers--;
      entry.promise?.then((result) => {
        entry.result = result;
        settled();
      }, settled);
      queue.push(entry);
    }
    const head = queue[0];
    if (head === undefined && !more) return;
    if ((head === undefined || head.result === null) && next !== -1 && more && ownWaiting < JOBS_PER_THREAD) {
      queue.push({ result: convertHere(nextJob()), promise: null });
      ownWaiting++;
      continue;
    }
    if (head === undefined) continue;
    const { converted, readError } = head.result ?? (await (head.promise as Promise<JobResult>));
    queue.shift();
    if (head.promise === null) ownWaiting--;
    yield numbered(converted, lines);
    lines += converted.counts.lines;
    if (readError !== undefined) throw Object.assign(new Error(readError.message), readError);
  }
}

/**
 * A cut whose bytes can be moved to a thread: a chunk read from a pipe is a buffer of its own,
 * which nothing else holds once cut (LineCutter copies what it keeps), and moves whole, the cut's
 * views with it; a piece of Node's shared slab of small buffers is copied instead.
 */
function movableCut(cut: LineCut): LineCut {
  const movable = (bytes: Uint8Array) => (bytes.buffer.byteLength > Buffer.poolSize ? bytes : new Uint8Array(bytes));
  const { opening, rest } = cut;
  return { opening: opening instanceof Uint8Array ? movable(opening) : opening, rest: rest === null ? null : movable(rest) };
}

/** How a stream's lines are converted: in the run's thread, or by the pool from now on. */
export interface StreamPlan {
  readonly maxLineBytes: number;
  /** Converts a job in the run's thread. */
  readonly convertHere: (job: Job) => JobResult;
  /** The workers once the stream should use them, given the bytes read so far and since when (ms); null: not yet. */
  readonly pool: (bytes: number, elapsedMs: number) => Promise<Pooled | null>;
  readonly clock: () => number;
}

/**
 * A stream (a pipe, a terminal) converted as it arrives: the run's thread reads and cuts it into
 * whole lines, and converts them itself until the plan hands them to the pool. Each chunk read is
 * a job at once, never held back to fill a batch, and a result is written as soon as it and those
 * before it are done, also while the next read waits: a trickle from a live kcat keeps its latency.
 */
export async function* convertedStream(source: Readable, plan: StreamPlan): AsyncGenerator<Converted> {
  const cutter = new LineCutter(plan.maxLineBytes);
  const iterator = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const queue: Promise<JobResult>[] = [];
  // Set by take(), which TypeScript cannot see from the loop.
  let pooled = null as Pooled | null;
  type Read = { read: IteratorResult<Buffer | string> } | { readFailure: unknown };
  const read = (): Promise<Read> => iterator.next().then((result) => ({ read: result }), (error: unknown) => ({ readFailure: error }));
  let reading: Promise<Read> | null = read();
  let readFailure: unknown = null;
  let lines = 0;
  let bytes = 0;
  let firstRead = 0;
  let atInputStart = true;
  const take = async (cut: LineCut | null): Promise<Converted | null> => {
    if (cut === null) return null;
    pooled ??= await plan.pool(bytes, plan.clock() - firstRead);
    const first = atInputStart;
    atInputStart = false;
    if (pooled === null) return numbered(plan.convertHere({ kind: 'cut', cut, atInputStart: first }).converted, lines);
    queue.push(handled(pooled.pool.submit({ kind: 'cut', cut: movableCut(cut), atInputStart: first })));
    return null;
  };
  /** The next result in order: a worker's, or a chunk's converted here; null when a step gave none. */
  const advance = async (): Promise<Converted | null> => {
    const full = pooled !== null && queue.length >= pooled.workers * JOBS_PER_THREAD;
    const waits: Promise<Read | { done: JobResult }>[] = [];
    if (reading !== null && !full) waits.push(reading);
    // A job that fails (its thread died) rejects here, and ends the run as an internal error.
    if (queue.length > 0) waits.push((queue[0] as Promise<JobResult>).then((done) => ({ done })));
    const step = await Promise.race(waits);
    if ('done' in step) {
      queue.shift();
      return numbered(step.done.converted, lines);
    }
    if ('readFailure' in step) {
      // The read failed (or a stop destroyed the stream): the lines read before it are still converted.
      readFailure = step.readFailure;
      reading = null;
      return null;
    }
    if (step.read.done === true) {
      reading = null;
      return take(cutter.end());
    }
    const value = step.read.value;
    const chunk = typeof value === 'string' ? Buffer.from(value) : value;
    if (bytes === 0) firstRead = plan.clock();
    bytes += chunk.length;
    reading = read();
    return take(cutter.push(chunk));
  };
  // Only the result being written is held across the yield (run.ts says why).
  while (reading !== null || queue.length > 0) {
    const converted = await advance();
    if (converted === null) continue;
    lines += converted.counts.lines;
    yield converted;
  }
  if (readFailure !== null) throw readFailure;
}

/**
 * The promise of a job that may wait in a queue behind others: its failure is taken when it
 * reaches the head, and must not count as unhandled before that.
 */
function handled(job: Promise<JobResult>): Promise<JobResult> {
  job.catch(() => undefined);
  return job;
}
