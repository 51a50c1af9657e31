// Conversion over worker threads: the inputs' runs of lines in, their results out in input order
// (when threads pay: thread-plan.ts). The measurements: bench/README.md ("Conversion over threads").
import type { Readable } from 'node:stream';
import type { Converted } from './line-converter.js';
import type { FileRange } from './range-reader.js';
import { LineCutter, type LineCut } from './whole-lines.js';
import type { Job, JobResult, WorkerPool } from './worker-pool.js';

/** The bytes of a file one job reads: enough to make a message's cost small, few enough to bound memory. */
const JOB_BYTES = 1024 * 1024;
/**
 * Jobs in flight per thread: enough that a worker still has work while the run's thread converts a
 * range of its own, and no more, since each holds its CSV until written.
 */
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
 * Jobs in input order, each converted by a worker or by the run's own thread, their results taken
 * in that order. The workers hold at most JOBS_PER_THREAD jobs each, and the run's thread converts
 * a job itself when they are full, or when the oldest result is not back (at most JOBS_PER_THREAD
 * of its own waiting): no thread idles, and memory stays bounded however fast the threads and
 * however slow the output.
 */
class OrderedJobs {
  private readonly queue: { result: JobResult | null; readonly promise: Promise<JobResult> | null }[] = [];
  private inWorkers = 0;
  private own = 0;

  constructor(
    private readonly threads: Pooled,
    private readonly convertHere: (job: Job) => JobResult,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  get workersFull(): boolean {
    return this.inWorkers >= this.threads.workers * JOBS_PER_THREAD;
  }

  /** Whether the run's thread may convert one more job before a result is taken. */
  get mayConvertHere(): boolean {
    return this.own < JOBS_PER_THREAD;
  }

  get headReady(): boolean {
    return this.queue[0]?.result != null;
  }

  /** A job to a worker, or, when they are full, converted here. */
  add(job: Job, movable: (job: Job) => Job = (j) => j): void {
    if (this.workersFull) return this.convert(job);
    const entry: { result: JobResult | null; readonly promise: Promise<JobResult> } = { result: null, promise: handled(this.threads.pool.submit(movable(job))) };
    this.inWorkers++;
    entry.promise.then(
      (result) => {
        entry.result = result;
        this.inWorkers--;
      },
      () => void this.inWorkers--,
    );
    this.queue.push(entry);
  }

  /** A job converted by the run's thread, now; its result waits for those before it. */
  convert(job: Job): void {
    this.queue.push({ result: this.convertHere(job), promise: null });
    this.own++;
  }

  /** Settles when the oldest job is done; rejects when its thread failed. */
  headDone(): Promise<unknown> {
    const head = this.queue[0];
    return head === undefined || head.promise === null ? Promise.resolve() : head.promise;
  }

  /** The oldest result, once it is done. */
  async take(): Promise<JobResult> {
    const head = this.queue[0] as (typeof this.queue)[number];
    const result = head.result ?? (await (head.promise as Promise<JobResult>));
    this.queue.shift();
    if (head.promise === null) this.own--;
    return result;
  }
}

/**
 * A regular file converted in ranges of JOB_BYTES, each read by the thread that converts it
 * (OrderedJobs): so on two processors `--threads 2` is one worker and the run's thread, one heap
 * less than two workers. A stop ends the dispatching; the ranges in flight still give their
 * results. A read error ends the file after the lines before it, as the single-threaded run does.
 */
export async function* convertedRanges(
  threads: Pooled,
  convertHere: (job: Job) => JobResult,
  file: PositionedFile,
  stop: AbortSignal,
): AsyncGenerator<Converted> {
  const jobs = new OrderedJobs(threads, convertHere);
  let next = file.start;
  const nextJob = (): Job => {
    const last = next + JOB_BYTES >= file.size;
    const job: Job = { kind: 'range', fd: file.fd, start: next, end: last ? -1 : next + JOB_BYTES, atInputStart: next === file.start };
    next = last ? -1 : next + JOB_BYTES;
    return job;
  };
  const more = (): boolean => next !== -1 && !stop.aborted;
  let lines = 0;
  for (;;) {
    while (more() && !jobs.workersFull) jobs.add(nextJob());
    if (jobs.length === 0 && !more()) return;
    if (!jobs.headReady && more() && jobs.mayConvertHere) {
      jobs.convert(nextJob());
      continue;
    }
    const { converted, readError } = await jobs.take();
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
  // Set by take(), which TypeScript cannot see from the loop.
  let jobs = null as OrderedJobs | null;
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
    if (jobs === null) {
      const pooled = await plan.pool(bytes, plan.clock() - firstRead);
      if (pooled !== null) jobs = new OrderedJobs(pooled, plan.convertHere);
    }
    const job: Job = { kind: 'cut', cut, atInputStart };
    atInputStart = false;
    if (jobs === null) return numbered(plan.convertHere(job).converted, lines);
    jobs.add(job, (j) => ({ ...j, cut: movableCut(cut) }));
    return null;
  };
  /** The next result in order: a worker's, or a chunk's converted here; null when a step gave none. */
  const advance = async (): Promise<Converted | null> => {
    // With the workers full, a chunk read is converted here, as long as this thread's own results are few.
    const canRead = reading !== null && (jobs === null || !jobs.workersFull || jobs.mayConvertHere);
    const waits: Promise<Read | { done: true }>[] = [];
    if (canRead) waits.push(reading as Promise<Read>);
    // A job that fails (its thread died) rejects here, and ends the run as an internal error.
    if (jobs !== null && jobs.length > 0) waits.push(jobs.headDone().then(() => ({ done: true as const })));
    const step = await Promise.race(waits);
    if ('done' in step) {
      const { converted } = await (jobs as OrderedJobs).take();
      return numbered(converted, lines);
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
  while (reading !== null || (jobs !== null && jobs.length > 0)) {
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
