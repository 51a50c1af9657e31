import { Worker } from 'node:worker_threads';
import type { RunConfig } from './args.js';
import { ConversionThreadError } from './thread-error.js';
import type { Converted } from './line-converter.js';
import type { FileRange } from './range-reader.js';
import type { LineCut } from './whole-lines.js';

/**
 * A run of whole lines for a worker to convert: a range of a regular file, which the worker reads
 * itself, or lines the run's thread read from a pipe and cut (its bytes are moved, not copied).
 * `atInputStart`: the run's first line is its input's first, the only one a byte order mark may start.
 */
export type Job = ({ readonly kind: 'range' } & FileRange) | { readonly kind: 'cut'; readonly cut: LineCut; readonly atInputStart: boolean };

/** A job's lines converted, numbered from 1; `readError`: why reading its range stopped short. */
export interface JobResult {
  readonly converted: Converted;
  readonly readError?: { readonly message: string; readonly code?: string; readonly syscall?: string };
}

/** What a worker thread is started with. */
export interface WorkerSetup {
  readonly config: RunConfig;
}

interface Pending {
  readonly resolve: (result: JobResult) => void;
  readonly reject: (error: Error) => void;
}

// A worker's young generation, in MB: left to itself V8 grows it until the process's peak RSS is
// some 15 MB higher a thread, for no speed (bench/README.md). The old generation is not limited: a
// thread must convert a line as long as --max-line-bytes allows, as the main thread does.
const YOUNG_GENERATION_MB = 16;

/**
 * Worker threads that convert jobs, each job's result a promise: whoever submits keeps the
 * promises in input order and so writes the results in order, however the workers finish.
 */
export class WorkerPool {
  private readonly workers: { readonly worker: Worker; readonly pending: Map<number, Pending> }[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(script: URL, count: number, setup: WorkerSetup) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }, stdout: true, stderr: false });
      const pending = new Map<number, Pending>();
      worker.on('message', ({ id, result }: { id: number; result: JobResult }) => {
        const job = pending.get(id);
        pending.delete(id);
        job?.resolve(result);
      });
      const fail = (cause: Error): void => {
        const error = new ConversionThreadError(`a conversion thread failed (${cause.message})`);
        this.failure ??= error;
        for (const job of pending.values()) job.reject(error);
        pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`it ended with exit code ${code}`)));
      this.workers.push({ worker, pending });
    }
  }

  /** Converts a job on the least busy worker. */
  submit(job: Job): Promise<JobResult> {
    if (this.failure !== null) return Promise.reject(this.failure);
    let chosen = this.workers[0] as (typeof this.workers)[number];
    for (const w of this.workers) if (w.pending.size < chosen.pending.size) chosen = w;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      chosen.pending.set(id, { resolve, reject });
      const moved = job.kind === 'cut' ? transferables(job.cut) : [];
      chosen.worker.postMessage({ id, job }, moved);
    });
  }

  /** Stops every worker; a job still running is abandoned. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(({ worker }) => {
        worker.removeAllListeners('exit');
        return worker.terminate();
      }),
    );
  }
}

/** The buffers a cut's bytes are in, to move to the worker, each once (the opening and the rest may share one). */
function transferables(cut: LineCut): ArrayBuffer[] {
  const buffers = [cut.opening, cut.rest].flatMap((part) => (part instanceof Uint8Array ? [part.buffer as ArrayBuffer] : []));
  return [...new Set(buffers)];
}
