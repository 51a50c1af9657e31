import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { Readable } from 'node:stream';

// 128 KiB measured fastest on enveloped events: 64 KiB took 5% longer, 256 KiB 30% longer, with
// twelve times the page faults (glibc maps a buffer that size afresh for every read).
const CHUNK_BYTES = 128 * 1024;

/**
 * A regular file read with readSync on the main thread. Node's file streams send every read to
 * the libuv thread pool and back, about 40 µs a round trip here: for 670 MB of enveloped events
 * that is 0.4 s of reading, and a tenth of the run spent waiting for it. A read from the page
 * cache takes a few µs; each is still scheduled with setImmediate, so the event loop turns
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

/** Whether `stat` finds a regular file; false when it cannot tell, and the stream will say why. */
function isRegularFile(stat: () => Stats): boolean {
  try {
    return stat().isFile();
  } catch {
    return false;
  }
}

/**
 * An input file named on the command line. Anything but a regular file, such as a FIFO from
 * `<(kcat …)` whose open blocks until a writer comes, is opened by Node's stream in the background,
 * and so is a path that cannot be examined: its stream reports why, as for any file.
 */
export function openInputFile(path: string): Readable {
  return isRegularFile(() => statSync(path)) ? new FileChunks(openSync(path, 'r'), true) : createReadStream(path);
}

/**
 * Standard input: read like a file when it is one (`< events.jsonl`), else Node's stream, which
 * also deals with a closed descriptor 0 as it always has.
 */
export function standardInput(): Readable {
  return isRegularFile(() => fstatSync(0)) ? new FileChunks(0, false) : process.stdin;
}
