import { parseSyncArgs, SyncArgsExit } from './options.js';
import { printAnswer } from '../cli/help-output.js';
import { onProcessSignals } from '../cli/process-signals.js';
import type { SyncIo } from './sync.js';

/** Set only by the fault-injection test: how long each load holds its transaction open. */
const LOAD_DELAY_VARIABLE = 'HOLDING_PIVOT_SYNC_TEST_LOAD_DELAY_MS';

/** The real process's stderr, clock and signals. */
function processIo(): SyncIo {
  const delay = Number(process.env[LOAD_DELAY_VARIABLE] ?? 0);
  return {
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    now: Date.now,
    loadDelayMs: Number.isSafeInteger(delay) && delay > 0 ? delay : 0,
    // A second signal exits at once: nothing is lost, the batch in flight is simply not committed.
    onSignal: onProcessSignals,
  };
}

/** Runs holding-pivot-sync with process.argv-style arguments; resolves to the exit status. */
export async function main(argv: readonly string[], io: SyncIo = processIo()): Promise<number> {
  let config;
  let answer = '';
  try {
    config = parseSyncArgs(
      argv,
      (text) => (answer += text),
      (text) => io.stderr.write(text),
    );
  } catch (error) {
    if (!(error instanceof SyncArgsExit)) throw error;
    return answer === '' ? error.status : printAnswer('holding-pivot-sync', answer, error.status, process.stdout, io.stderr);
  }
  const { sync } = await import('./sync.js');
  return sync(config, io);
}
