import { Writable } from 'node:stream';

/**
 * The pipeline's last stage: takes CSV text (or its bytes, from a conversion thread) of whole
 * rows, so a partial row never reaches the output. One write is in flight at a time: what arrives
 * meanwhile is written in one go (writev), and what waits behind it holds the stages before back.
 * When the output goes away (EPIPE, as with `| head -1`) or fails, it says so through `onClosed`
 * and takes the rest without writing it, so the stages before end normally.
 */
export class CsvWriter extends Writable {
  /** Set when the output failed for another reason than its reader leaving. */
  failure: Error | null = null;
  private outputGone = false;

  constructor(
    private readonly out: Writable,
    onClosed: () => void,
  ) {
    super({ objectMode: true });
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') this.failure = error;
      this.outputGone = true;
      onClosed();
    });
  }

  override _write(csv: string | Uint8Array, _encoding: BufferEncoding, done: () => void): void {
    this.send(csv, done);
  }

  override _writev(chunks: { chunk: string | Uint8Array }[], done: () => void): void {
    const parts = chunks.map(({ chunk }) => chunk);
    this.send(parts.every((part) => typeof part === 'string') ? parts.join('') : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))), done);
  }

  private send(csv: string | Uint8Array, done: () => void): void {
    if (this.outputGone) return done();
    // A write that fails is reported through the output's 'error' event, above.
    this.out.write(csv, () => done());
  }
}
