import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * The --errors file: every rejected line, verbatim, appended as it is rejected. Writes are
 * synchronous so that a line is on disk before the run reports it, whatever stops the run later.
 */
export class DeadLetter {
  private failed: Error | null = null;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens the file for appending; throws (ENOENT, EACCES, …) so the run can refuse to start. */
  static open(path: string): DeadLetter {
    return new DeadLetter(path, openSync(path, 'a'));
  }

  /** The first write error, if any: the run then exits with the I/O status. */
  get failure(): Error | null {
    return this.failed;
  }

  write(line: string | Buffer): void {
    if (this.failed !== null) return;
    try {
      if (typeof line === 'string') writeSync(this.fd, line);
      else writeSync(this.fd, line);
    } catch (error) {
      this.failed = error instanceof Error ? error : new Error(String(error));
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
