import { EXIT } from './exit-codes.js';
import { existsSync } from 'node:fs';
import { fileIdentity, openInputFile, positionedFile, standardInput } from './file-input.js';
import { idleProcessorMeter } from './idle-processors.js';
import { onProcessSignals } from './process-signals.js';
import { ArgsExit, parseArgs } from './args.js';
import { printAnswer } from './help-output.js';
import type { RunIo } from './run.js';
import { stderrTerminal } from './terminal.js';
import { escapeForTerminal } from './terminal-text.js';
import { threadsFromTheStart } from './thread-plan.js';
import { holdHeapGrowth } from './heap-growth.js';

// Beside the bundled main.js (dist/); not there when the TypeScript runs directly (npm run dev).
const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

/** The real process's streams, environment, clocks and signals. */
export function processIo(): RunIo {
  return {
    // A getter: touching process.stdin opens a stream on fd 0 even when it is not used.
    get stdin() {
      return standardInput();
    },
    stdout: process.stdout,
    stderr: process.stderr,
    stderrTerminal: stderrTerminal(process.stderr, process.stdout),
    env: process.env,
    now: Date.now,
    elapsedClock: Date.now,
    openInput: openInputFile,
    standardFile: fileIdentity,
    onSignal: onProcessSignals,
    positionedFile,
    workerScript: existsSync(WORKER_SCRIPT) ? WORKER_SCRIPT : null,
    // Measuring from here, the run's start-up is the sample.
    idleProcessors: idleProcessorMeter(),
  };
}

/** The size of an input that is a regular file, from where it is read; null for anything else. */
function firstInputBytes(input: string, io: RunIo): number | null {
  const file = io.positionedFile(input);
  file?.close();
  return file === null ? null : file.size - file.start;
}

/** Runs holding-pivot with process.argv-style arguments; resolves to the exit status. */
export async function main(argv: readonly string[], io: RunIo = processIo()): Promise<number> {
  // stderr that cannot be written (a full disk, a reader gone) loses the diagnostics, never the rows.
  io.stderr.on('error', () => undefined);
  let config;
  try {
    config = parseArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof ArgsExit)) throw error;
    if (error.stderr !== '') io.stderr.write(error.stderr);
    if (error.stdout === '') return error.status;
    return printAnswer('holding-pivot', error.stdout, error.status, io.stdout, io.stderr);
  }
  // Before the converter's modules are compiled (heap-growth.ts says why).
  if (io.workerScript !== null && threadsFromTheStart(config.threads, firstInputBytes(config.inputs[0] as string, io))) holdHeapGrowth();
  // Loaded only now, so --help and --version start as fast as node itself; both at once, so the
  // converter's chunk is read while the table list is made.
  const converter = import('./run.js');
  const { tableList } = await import('./table-config.js');
  const tables = await tableList(config);
  if (Array.isArray(tables)) {
    for (const problem of tables) io.stderr.write(`holding-pivot: ${escapeForTerminal(problem)}\n`);
    return EXIT.usage;
  }
  const { run } = await converter;
  return run({ ...config, tables }, io);
}
