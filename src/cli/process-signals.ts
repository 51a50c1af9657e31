import { EXIT } from './exit-codes.js';
import type { Signal } from './run.js';

/**
 * Calls the listener on the process's first SIGINT or SIGTERM; returns the unsubscribe function.
 * A second signal means "now": the user is not waiting for the work in flight. So does one after
 * the run, while the process ends: it exits as interrupted, not killed by the signal.
 */
export function onProcessSignals(listener: (signal: Signal) => void): () => void {
  let received = 0;
  let listening = true;
  const handle = (signal: Signal): void => {
    if (++received > 1 || !listening) process.exit(EXIT[signal]);
    listener(signal);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return () => {
    listening = false;
  };
}
