import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** Why a line cannot be decoded as text at all; the line sink rejects it by its number. */
export type LineFlag =
  | { readonly kind: 'too-long'; readonly bytes: number; readonly head: Buffer }
  | { readonly kind: 'invalid-utf8'; readonly raw: Buffer };

/** Flags by 1-based line number, set by the guard and taken by the line processor. */
export type LineFlags = Map<number, LineFlag>;

const NEWLINE = 0x0a;
const HEAD_BYTES = 256;
const EMPTY_LINE = Buffer.from('\n');

/**
 * Sits on the byte stream in front of split2, which would otherwise hold a line of any length,
 * re-split the whole of it on every chunk, and turn invalid UTF-8 into U+FFFD without a word.
 * It forwards only whole lines, so split2 never sees a line cut in two; it replaces a line longer
 * than the limit by an empty one, keeping just its first bytes; and it keeps the raw bytes of a
 * line that is not UTF-8. Both are recorded by line number for the sink to reject.
 */
export class LineGuard extends Transform {
  /** Lines forwarded so far. */
  private lines = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Set once the held line has passed the limit: its size and first bytes, the rest dropped. */
  private overflow: { bytes: number; head: Buffer } | null = null;
  private stopped = false;

  /**
   * @param flags where to record lines that cannot be decoded, by number
   * @param afterChunk called with the transform's callback once a chunk's lines are forwarded, so
   *   the consumer can hold the next chunk back until it has written what this one gave
   */
  constructor(
    private readonly maxLineBytes: number,
    private readonly flags: LineFlags,
    private readonly afterChunk: (proceed: () => void) => void = (proceed) => proceed(),
  ) {
    super();
  }

  /** Stops at the last whole line forwarded: later input, and the line in progress, are dropped. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.held = [];
    this.overflow = null;
    this.push(null);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // The source asks for its next chunk in a nextTick after handing over this one; working on
    // this one in a microtask, which runs after that, lets the read proceed while we convert,
    // instead of after. Measured: a quarter of a file's conversion time was spent waiting for reads.
    queueMicrotask(() => this.convertChunk(chunk, done));
  }

  private convertChunk(chunk: Buffer, done: TransformCallback): void {
    if (this.stopped) return done();
    const first = chunk.indexOf(NEWLINE);
    if (first === -1) {
      this.hold(chunk);
      return done();
    }
    this.hold(chunk.subarray(0, first));
    this.endHeldLine(true);
    const last = chunk.lastIndexOf(NEWLINE);
    if (last > first) this.forwardLines(chunk.subarray(first + 1, last + 1));
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
    this.afterChunk(() => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.stopped && (this.heldBytes > 0 || this.overflow !== null)) this.endHeldLine(false);
    done();
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.overflow !== null) {
      this.overflow.bytes += piece.length;
      const { head } = this.overflow;
      if (head.length < HEAD_BYTES) this.overflow.head = Buffer.concat([head, piece.subarray(0, HEAD_BYTES - head.length)]);
      return;
    }
    this.held.push(piece);
    this.heldBytes += piece.length;
    if (this.heldBytes > this.maxLineBytes) {
      const head = Buffer.concat(this.held).subarray(0, HEAD_BYTES);
      this.overflow = { bytes: this.heldBytes, head: Buffer.from(head) };
      this.held = [];
      this.heldBytes = 0;
    }
  }

  /** Ends the line built from held pieces: at a newline, or at the end of input without one. */
  private endHeldLine(newline: boolean): void {
    const number = this.lines + 1;
    if (this.overflow !== null) {
      this.flags.set(number, { kind: 'too-long', ...this.overflow });
      this.overflow = null;
      this.forward(EMPTY_LINE, 1);
      return;
    }
    const pieces = newline ? [...this.held, EMPTY_LINE] : this.held;
    const line = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    this.held = [];
    this.heldBytes = 0;
    if (!isUtf8(line)) this.flags.set(number, { kind: 'invalid-utf8', raw: Buffer.from(line) });
    this.forward(line, newline ? 1 : 0);
  }

  /** Forwards a run of whole lines, each ending in a newline, checking each against the limits. */
  private forwardLines(run: Buffer): void {
    // The common case costs one native UTF-8 check for the run and one newline search per line.
    const valid = isUtf8(run);
    let start = 0;
    let pending = 0;
    let pendingLines = 0;
    while (start < run.length) {
      const end = run.indexOf(NEWLINE, start);
      const number = this.lines + pendingLines + 1;
      if (end - start > this.maxLineBytes) {
        this.forward(run.subarray(pending, start), pendingLines);
        const head = Buffer.from(run.subarray(start, Math.min(end, start + HEAD_BYTES)));
        this.flags.set(number, { kind: 'too-long', bytes: end - start, head });
        this.forward(EMPTY_LINE, 1);
        pending = end + 1;
        pendingLines = 0;
      } else {
        if (!valid && !isUtf8(run.subarray(start, end + 1))) {
          this.flags.set(number, { kind: 'invalid-utf8', raw: Buffer.from(run.subarray(start, end + 1)) });
        }
        pendingLines++;
      }
      start = end + 1;
    }
    this.forward(run.subarray(pending), pendingLines);
  }

  private forward(bytes: Buffer, lines: number): void {
    if (bytes.length === 0) return;
    this.lines += lines;
    this.push(bytes);
  }
}
