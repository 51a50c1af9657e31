import { openInputFile, standardInput } from './file-input.js';
import { ArgsExit, parseArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import type { RunIo, Signal } from './run.js';

/**
 * The clock for datetime_inserted. SOURCE_DATE_EPOCH (seconds), the reproducible-builds
 * convention, pins it, so the same input gives byte-identical output.
 */
export function dataClock(env: NodeJS.ProcessEnv): () => number {
  const pinned = env['SOURCE_DATE_EPOCH'];
  if (pinned === undefined || !/^\d+$/.test(pinned)) return Date.now;
  const ms = Number(pinned) * 1000;
  return () => ms;
}

/** The real process's streams, clocks and signals. */
export function processIo(): RunIo {
  return {
    // A getter: touching process.stdin opens a stream on fd 0 even when it is not used.
    get stdin() {
      return standardInput();
    },
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    now: dataClock(process.env),
    elapsedClock: Date.now,
    openInput: openInputFile,
    onSignal: onProcessSignals,
  };
}

/**
 * Calls the listener on the process's first SIGINT or SIGTERM; returns the unsubscribe function.
 * A second signal exits at once: the user is not waiting for the work in flight.
 */
export function onProcessSignals(listener: (signal: Signal) => void): () => void {
  let received = 0;
  const handle = (signal: Signal): void => {
    if (++received > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    listener(signal);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return () => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
  };
}

/** Runs holding-pivot with process.argv-style arguments; resolves to the exit status. */
export async function main(argv: readonly string[], io: RunIo = processIo()): Promise<number> {
  let config;
  try {
    config = parseArgs(
      argv,
      (text) => io.stdout.write(text),
      (text) => io.stderr.write(text),
    );
  } catch (error) {
    if (error instanceof ArgsExit) return error.status;
    throw error;
  }
  // Loaded only now, so --help and --version start as fast as node itself.
  const { tableList } = await import('./table-config.js');
  const tables = await tableList(config);
  if (Array.isArray(tables)) {
    for (const problem of tables) io.stderr.write(`holding-pivot: ${problem}\n`);
    return EXIT.usage;
  }
  const { run } = await import('./run.js');
  return run({ ...config, pivot: { ...config.pivot, tables } }, io);
}
