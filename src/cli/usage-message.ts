import type { OutputConfiguration } from 'commander';
import { escapeForTerminal } from './terminal-text.js';

/** A usage error of the command `name`, as holding-pivot and holding-pivot-sync print it: one line. */
export const usageLine = (name: string, message: string): string => `${name}: ${escapeForTerminal(message.trimEnd())} (see ${name} --help)\n`;

/** commander's output for the command `name`: help and version on `out`, each usage error as a usageLine on `err`. */
export function commandOutput(name: string, out: (text: string) => void, err: (text: string) => void): OutputConfiguration {
  return {
    writeOut: out,
    writeErr: err,
    // One line: commander puts its "Did you mean" on a second one; the values it quotes are the user's.
    outputError: (message, write) => write(usageLine(name, message.replace(/^error: /, '').trimEnd().replace('\n(Did you mean', ' (Did you mean'))),
  };
}
