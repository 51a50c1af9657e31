import { readFileSync } from 'node:fs';
import type { WriteStream } from 'node:tty';

/** What the reporter needs to know about where stderr goes, injectable for tests. */
export interface Terminal {
  /** stderr is a terminal. */
  readonly isTTY: boolean;
  /** stdout is a terminal too: the rows themselves are on the screen. */
  readonly stdoutIsTTY: boolean;
  /** The terminal's width in columns now (it follows resizes); undefined when not a terminal. */
  readonly columns: () => number | undefined;
  /**
   * Whether the process is in its terminal's foreground process group now: false in the background
   * (`… &`, or stopped and resumed with bg), undefined when the platform cannot tell.
   */
  readonly isForeground: () => boolean | undefined;
}

/**
 * Compares the process's group with the terminal's foreground group, read from /proc/self/stat
 * (Node has no tcgetpgrp): Linux only, and about the controlling terminal, which is stderr's
 * unless stderr was sent to another one. Read again on every call, because a job moves between
 * the foreground and the background while it runs.
 */
function procForeground(): boolean | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'latin1');
  } catch {
    return undefined;
  }
  // The fields after the command name, which is in parentheses and may itself hold spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  if (!Number.isInteger(pgrp) || !Number.isInteger(tpgid)) return undefined;
  // tpgid is -1 without a controlling terminal (setsid, a service): never the foreground then.
  return tpgid === pgrp;
}

/** The real stderr's terminal facts. */
export function stderrTerminal(stderr: NodeJS.WriteStream | WriteStream, stdout: NodeJS.WriteStream | WriteStream): Terminal {
  return {
    isTTY: stderr.isTTY === true,
    stdoutIsTTY: stdout.isTTY === true,
    columns: () => (stderr.isTTY === true ? stderr.columns : undefined),
    isForeground: procForeground,
  };
}
