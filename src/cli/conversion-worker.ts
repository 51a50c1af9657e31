// The body of a conversion thread (dist/worker.js): converts the jobs the run's thread sends it
// (worker-pool.ts) with the same stages the single-threaded run uses, and sends back each job's
// CSV as bytes (moved, not copied) with its counts and notes.
import { parentPort, workerData } from 'node:worker_threads';
import { LineDecoder } from '../core/line-decoder.js';
import { insertedAtClock } from './inserted-at.js';
import { LineConverter, type Converted, type LineNote, type StrictStop } from './line-converter.js';
import { rangeChunks } from './range-reader.js';
import { Counts } from './reporter.js';
import { linesOf, WholeLines, type LineBatch } from './whole-lines.js';
import type { Job, JobResult, WorkerSetup } from './worker-pool.js';

const { config } = workerData as WorkerSetup;
const decoder = new LineDecoder(config);
const pinned = config.pinnedTime;
const insertedAt = insertedAtClock(pinned === undefined ? Date.now : () => pinned, config.timestamps === 'epoch');
const encoder = new TextEncoder();

/** A job's batches converted into one result, lines numbered from the job's first. */
function convertJob(job: Job): JobResult {
  const converter = new LineConverter({ decoder, strict: config.strict, maxLineBytes: config.maxLineBytes, insertedAt });
  const csv: string[] = [];
  const counts = new Counts();
  const notes: LineNote[] = [];
  let stop: StrictStop | null = null;
  const take = (batch: LineBatch | null, atInputStart: boolean): void => {
    if (batch === null || stop !== null) return;
    const converted = converter.convert(batch, atInputStart);
    if (converted.csv.length > 0) csv.push(converted.csv as string);
    counts.add(converted.counts);
    for (const note of converted.notes) notes.push(note);
    stop = converted.stop;
  };
  let readError: JobResult['readError'];
  if (job.kind === 'cut') take({ input: '', first: 1, lines: linesOf(job.cut, config.maxLineBytes) }, job.atInputStart);
  else {
    const lines = new WholeLines('', config.maxLineBytes);
    try {
      for (const chunk of rangeChunks(job)) {
        take(lines.push(chunk), job.atInputStart);
        if (stop !== null) break;
      }
      // Nothing is held unless the file ended inside a line: then that line is the input's last.
      take(lines.end(), job.atInputStart);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      readError = { message: e.message, code: e.code, syscall: e.syscall };
    }
  }
  const converted: Converted & { csv: Uint8Array } = { csv: encoder.encode(csv.join('')), counts, notes, stop };
  return readError === undefined ? { converted } : { converted, readError };
}

parentPort?.on('message', ({ id, job }: { id: number; job: Job }) => {
  const result = convertJob(job);
  parentPort?.postMessage({ id, result }, [result.converted.csv.buffer as ArrayBuffer]);
});
