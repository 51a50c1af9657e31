import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { fileIdentity, type FileIdentity } from './file-input.js';
import type { Line } from './whole-lines.js';

/**
 * The --errors file: every rejected line, verbatim, appended as it is rejected, each entry ending
 * in a newline so entries never run together, across runs too. A line over --max-line-bytes was
 * never held, so it is recorded by a JSON line naming it instead. Writes are synchronous so that a
 * line is on disk before the run reports it, whatever stops the run later.
 */
export class DeadLetter {
  private failed: Error | null = null;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens the file for appending; throws (ENOENT, EACCES, …) so the run can refuse to start. */
  static open(path: string): DeadLetter {
    const fd = openSync(path, 'a+');
    const letter = new DeadLetter(path, fd);
    // A file that does not end its last line (written by hand, or by another tool) gets a newline first.
    const { size } = fstatSync(fd);
    const last = Buffer.alloc(1);
    if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) letter.append('\n');
    return letter;
  }

  /** Which file this is, to tell whether an input is this very file. */
  get identity(): FileIdentity | null {
    return fileIdentity(this.fd);
  }

  /** The first write error, if any: the run then exits with the I/O status. */
  get failure(): Error | null {
    return this.failed;
  }

  /** Appends a rejected line, `number` of `input`. */
  write(line: Line, input: string, number: number): void {
    if (typeof line === 'string') this.append(`${line}\n`);
    else if (line.kind === 'invalid-utf8') this.append(Buffer.concat([line.raw, Buffer.from('\n')]));
    else this.append(`${JSON.stringify({ holding_pivot: 'line not kept: over --max-line-bytes', input, line: number, bytes: line.bytes })}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(data: string | Buffer): void {
    if (this.failed !== null) return;
    try {
      if (typeof data === 'string') writeSync(this.fd, data);
      else writeSync(this.fd, data);
    } catch (error) {
      this.failed = error instanceof Error ? error : new Error(String(error));
    }
  }
}
