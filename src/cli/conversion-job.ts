import type { RunConfig } from './args.js';
import { LineConverter, type LineNote, type StrictStop } from './line-converter.js';
import type { LineDecoder } from '../core/line-decoder.js';
import { rangeChunks } from './range-reader.js';
import { Counts } from './reporter.js';
import { lineRuns, WholeLines, type LineBatch } from './whole-lines.js';
import type { Job, JobResult } from './worker-pool.js';

/**
 * Converts jobs (a file's range, or lines cut from a stream) as a conversion thread does, and as
 * the run's own thread does for its share: the job's batches in one result, its lines numbered
 * from 1, and where reading stopped short, why.
 */
export function jobConverter(decoder: LineDecoder, config: RunConfig, insertedAt: () => string): (job: Job) => JobResult {
  return (job) => {
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
    if (job.kind === 'cut') {
      let first = 1;
      for (const lines of lineRuns(job.cut, config.maxLineBytes)) {
        take({ input: '', first, lines }, job.atInputStart);
        first += lines.length;
      }
    } else {
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
    const converted = { csv: csv.join(''), counts, notes, stop };
    return readError === undefined ? { converted } : { converted, readError };
  };
}
