import { readSync } from 'node:fs';
import { CHUNK_BYTES } from './read-size.js';

const NEWLINE = 0x0a;

/**
 * Bytes [start, end) of a file, one worker's part of it: `end` -1 reads to the end; `atInputStart`:
 * `start` is where the input begins (0, or where stdin's offset was), so no line began before it.
 */
export interface FileRange {
  readonly fd: number;
  readonly start: number;
  readonly end: number;
  readonly atInputStart: boolean;
}

/**
 * The bytes of the lines that begin in a range of a file, read with positioned reads (the file's
 * offset is not moved, so threads can share its descriptor). A line belongs to the range its first
 * byte is in: a range skips the end of the line it starts inside and reads on past its end to
 * finish its last line. So ranges that tile a file give each line exactly once, whatever the
 * line lengths. The last range reads to the end of the file, however long it has grown since.
 * Each chunk is valid until the next is read.
 */
export function* rangeChunks({ fd, start, end, atInputStart }: FileRange): Generator<Buffer> {
  let position = start;
  if (!atInputStart) {
    // The range before ends at the first newline from start - 1 on; this one begins after it.
    for (let at = start - 1; ; ) {
      const chunk = readAt(fd, at);
      if (chunk === null) return;
      const newline = chunk.indexOf(NEWLINE);
      if (newline !== -1) {
        position = at + newline + 1;
        break;
      }
      at += chunk.length;
    }
  }
  for (let inLine = false; ; ) {
    if (end !== -1 && position >= end && !inLine) return;
    const chunk = readAt(fd, position);
    if (chunk === null) return;
    if (end !== -1 && position + chunk.length >= end) {
      const newline = chunk.indexOf(NEWLINE, Math.max(0, end - 1 - position));
      if (newline !== -1) {
        yield chunk.subarray(0, newline + 1);
        return;
      }
    }
    yield chunk;
    position += chunk.length;
    inLine = chunk[chunk.length - 1] !== NEWLINE;
  }
}

// One buffer for every read of a thread: a chunk is done with before the next read (WholeLines
// copies what it keeps), and a buffer this size allocated afresh for every read makes the
// allocator of each thread keep more memory the longer the run (bench/README.md).
const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);

/** Up to CHUNK_BYTES from `position`, in the thread's one buffer; null at the end of the file. */
function readAt(fd: number, position: number): Buffer | null {
  const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, position);
  return bytes === 0 ? null : bytes < CHUNK_BYTES ? buffer.subarray(0, bytes) : buffer;
}
