import { closeSync, constants, createReadStream, fstatSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import { isatty, ReadStream } from 'node:tty';
import { Readable } from 'node:stream';
import type { PositionedFile } from './parallel.js';
import { CHUNK_BYTES } from './read-size.js';


/**
 * A regular file read with readSync on the main thread. Node's file streams send every read to
 * the libuv thread pool and back, which costs far more than a read from the page cache
 * (bench/README.md). Each read is still scheduled with setImmediate, so the event loop turns
 * between chunks and a signal is handled at once. Pipes and terminals, which can block, keep
 * Node's own streams.
 */
class FileChunks extends Readable {
  constructor(
    private readonly fd: number,
    private readonly owned: boolean,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  override _read(): void {
    setImmediate(() => this.readChunk());
  }

  private readChunk(): void {
    if (this.destroyed) return;
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    let bytes: number;
    try {
      bytes = readSync(this.fd, buffer, 0, CHUNK_BYTES, null);
    } catch (error) {
      this.destroy(error as Error);
      return;
    }
    this.push(bytes === 0 ? null : bytes < CHUNK_BYTES ? buffer.subarray(0, bytes) : buffer);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.owned) return callback(error);
    try {
      closeSync(this.fd);
    } catch (closeError) {
      return callback(error ?? (closeError as Error));
    }
    callback(error);
  }
}

/** What `stat` finds; null when it cannot tell, and the stream will say why. */
function statOf(stat: () => Stats): Stats | null {
  try {
    return stat();
  } catch {
    return null;
  }
}

/**
 * An input file named on the command line. A FIFO (such as `<(kcat …)`) is opened without
 * blocking and read as a socket: a blocking open would wait in a thread-pool thread for a writer,
 * which nothing can interrupt, and which keeps even process.exit from returning. Anything else but
 * a regular file or a terminal is opened by Node's stream, and so is a path that cannot be
 * examined: its stream reports why, as for any file.
 */
export function openInputFile(path: string): Readable {
  const stat = statOf(() => statSync(path));
  if (stat?.isFile()) return new FileChunks(openSync(path, 'r'), true);
  // Until a writer comes, a FIFO opened this way has nothing to read, and no end either.
  if (stat?.isFIFO()) return pipeStream(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  if (stat?.isCharacterDevice()) {
    // A terminal (/dev/tty, or /dev/stdin on one) blocks a read the same way: libuv's TTY handle waits without a thread.
    const fd = openSync(path, 'r');
    return isatty(fd) ? new ReadStream(fd) : createReadStream('', { fd });
  }
  return createReadStream(path);
}

// What a pipe's stream may hold before it stops reading: when the conversion falls behind, the
// chunks that arrived meanwhile are taken as one, so the threads get fewer, larger jobs; a trickle
// still comes a line at a time. Larger, and the chunks joined wait as garbage in the run's thread
// (1 MiB: 144 MB of peak RSS with one worker, against 100; bench/README.md).
const PIPE_BUFFER_BYTES = 256 * 1024;

/** A pipe read as a socket, as Node reads stdin, with room for PIPE_BUFFER_BYTES. */
function pipeStream(fd: number): Readable {
  // net.Socket hands its options to stream.Duplex, which takes the high-water mark; the type leaves it out.
  return new Socket({ fd, readable: true, writable: false, readableHighWaterMark: PIPE_BUFFER_BYTES } as ConstructorParameters<typeof Socket>[0]);
}

/**
 * Standard input: read like a file when it is one (`< events.jsonl`), as a pipe when it is one,
 * else Node's stream, which also deals with a terminal and a closed descriptor 0 as it always has.
 */
export function standardInput(): Readable {
  const stat = statOf(() => fstatSync(0));
  if (stat?.isFile()) return new FileChunks(0, false);
  return stat?.isFIFO() ? pipeStream(0) : process.stdin;
}

/** Where reading fd 0 would start: Linux tells it in /proc; null where it cannot be known. */
function standardInputOffset(): number | null {
  try {
    const position = /^pos:\s*(\d+)$/m.exec(readFileSync('/proc/self/fdinfo/0', 'utf8'))?.[1];
    return position === undefined ? null : Number(position);
  } catch {
    return null;
  }
}

/**
 * An input ("-": stdin) that is a regular file, opened for worker threads to read by position;
 * null for anything else, and for a file that cannot be opened (its stream then says why). Stdin
 * is read from where its offset is (`{ head -1; holding-pivot; } < file`), and left open.
 */
export function positionedFile(input: string): PositionedFile | null {
  if (input === '-') {
    const stat = statOf(() => fstatSync(0));
    const start = stat?.isFile() ? standardInputOffset() : null;
    return stat === null || start === null ? null : { fd: 0, start, size: stat.size, close: () => undefined };
  }
  if (!statOf(() => statSync(input))?.isFile()) return null;
  let fd: number;
  try {
    fd = openSync(input, 'r');
  } catch {
    return null;
  }
  return { fd, start: 0, size: fstatSync(fd).size, close: () => closeSync(fd) };
}

/** Which file a path or descriptor is, to tell when an input is also an output. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly regular: boolean;
}

/** The file a path (followed through symlinks) or descriptor names; null when there is none. */
export function fileIdentity(target: string | number): FileIdentity | null {
  const stat = statOf(() => (typeof target === 'number' ? fstatSync(target) : statSync(target)));
  return stat === null ? null : { dev: stat.dev, ino: stat.ino, regular: stat.isFile() };
}
