// The body of a conversion thread (dist/worker.js): converts the jobs the run's thread sends it
// (worker-pool.ts) as the run's own thread converts its share (conversion-job.ts), and sends back
// each job's CSV as bytes, moved, not copied, with its counts and notes.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { LineDecoder } from '../core/line-decoder.js';
import { jobConverter } from './conversion-job.js';
import { HELD_HEAP_GROWTH } from './heap-growth.js';
import { insertedAtClock } from './inserted-at.js';
import type { Job, WorkerSetup } from './worker-pool.js';

// Starting a thread sets V8's flags anew, process-wide: the heap's growth is held again here, for
// this thread and the run's (heap-growth.ts says why).
setFlagsFromString(HELD_HEAP_GROWTH);
const { config } = workerData as WorkerSetup;
const pinned = config.pinnedTime;
const convert = jobConverter(new LineDecoder(config), config, insertedAtClock(pinned === undefined ? Date.now : () => pinned, config.timestamps === 'epoch'));
const encoder = new TextEncoder();

parentPort?.on('message', ({ id, job }: { id: number; job: Job }) => {
  const result = convert(job);
  const csv = encoder.encode(result.converted.csv as string);
  parentPort?.postMessage({ id, result: { ...result, converted: { ...result.converted, csv } } }, [csv.buffer as ArrayBuffer]);
});
