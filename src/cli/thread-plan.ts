// When conversion threads pay, for --threads auto: a module of constants and pure functions, which
// main.ts loads without the threads' code. The figures behind them: bench/README.md ("Threads").

/** --threads: a number of conversion threads (1: the run's own thread only), or auto. */
export type Threads = number | 'auto';

/**
 * The most threads auto starts. A bound on memory (each thread's heap adds to the peak RSS) more
 * than a measured optimum: this 2-core machine cannot show where more threads stop paying.
 */
const MAX_AUTO_THREADS = 8;
/**
 * Below this much input, a worker costs more than it saves (its start and warm-up): with one, 20k
 * enveloped events (60 MB) took 1.2× the time, 40k (116 MB) 0.94×, 100k (335 MB) 0.8× (bench/README.md).
 */
export const PARALLEL_MIN_BYTES = 128 * 1024 * 1024;
/** A stream must bring its first PARALLEL_MIN_BYTES at least this fast (bytes a second): a backfill, not a live trickle. */
export const PARALLEL_MIN_RATE = 16 * 1024 * 1024;

/**
 * How many threads auto converts with, the run's own included, when `idle` processors are idle
 * (idle-processors.ts): one per idle processor, at most MAX_AUTO_THREADS; 1 (no workers) when
 * fewer than two are idle, since a worker that has to share a processor with the run's thread
 * only adds the messages between them.
 */
export function autoThreads(idle: number): number {
  const whole = Math.round(idle);
  return whole < 2 ? 1 : Math.min(whole, MAX_AUTO_THREADS);
}

/** Whether auto should move a stream to threads: enough bytes, arriving as fast as a backfill's. */
export const streamPays = (bytes: number, elapsedMs: number): boolean => bytes >= PARALLEL_MIN_BYTES && bytes >= (PARALLEL_MIN_RATE * elapsedMs) / 1000;

/**
 * Whether the run may start threads before it converts its first line: --threads asks for some,
 * or auto meets a first input that is a file large enough. Only then does holding the young
 * generation at its first size pay (main.ts).
 */
export function threadsFromTheStart(threads: Threads, firstInputBytes: number | null): boolean {
  if (threads === 'auto') return firstInputBytes !== null && firstInputBytes >= PARALLEL_MIN_BYTES;
  return threads > 1;
}
