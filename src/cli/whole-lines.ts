import { isUtf8 } from 'node:buffer';

const NEWLINE = 0x0a;
/** How much of an over-long line is kept, to show where it began. */
const HEAD_BYTES = 256;

/** A line that has no text to convert; the next stage rejects it. */
export type UnreadableLine =
  | { readonly kind: 'too-long'; readonly bytes: number; readonly head: Buffer }
  /** `raw`: the line's bytes, without its newline. */
  | { readonly kind: 'invalid-utf8'; readonly raw: Buffer };

/** One line of input: its text without the newline (a CR before it is kept), or why it has none. */
export type Line = string | UnreadableLine;

/** Consecutive whole lines of one input. */
export interface LineBatch {
  /** The input's name in messages: a path, or stdin. */
  readonly input: string;
  /** The 1-based number of the batch's first line in its input. */
  readonly first: number;
  readonly lines: Line[];
}

/** The first HEAD_BYTES bytes of `pieces`, copied, without joining the rest. */
function headOf(pieces: readonly Buffer[], bytes: number): Buffer {
  const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, bytes));
  let at = 0;
  for (const piece of pieces) {
    if (at === head.length) break;
    at += piece.copy(head, at);
  }
  return head;
}

/**
 * Cuts an input's bytes into whole lines: each chunk gives the lines it completes, and the bytes
 * after its last newline wait for the next. A line is decoded only once it is whole, so a UTF-8
 * character cut between chunks is never mangled, and a line that is not UTF-8 is kept as bytes
 * instead of being mended into U+FFFD. A line longer than the limit is not held: past the limit
 * only its size and first bytes are kept. Decoding each chunk's run of whole lines at once is what
 * keeps this fast (bench/README.md, "Measurements behind the code").
 */
export class WholeLines {
  /** Lines given so far. */
  private count = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Set once the held line has passed the limit: its size and first bytes, the rest dropped. */
  private overflow: { bytes: number; head: Buffer } | null = null;

  constructor(
    readonly input: string,
    private readonly maxLineBytes: number,
  ) {}

  /** The lines this chunk completes, or null when it completes none. */
  push(chunk: Buffer): LineBatch | null {
    const first = chunk.indexOf(NEWLINE);
    if (first === -1) {
      this.hold(chunk);
      return null;
    }
    this.hold(chunk.subarray(0, first));
    const opening = this.takeHeld();
    const last = chunk.lastIndexOf(NEWLINE);
    const lines = last > first ? this.split(chunk.subarray(first + 1, last)) : [];
    lines.unshift(opening);
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
    return this.batch(lines);
  }

  /** At the end of the input: its last line when that has no newline, else null. */
  end(): LineBatch | null {
    return this.heldBytes > 0 || this.overflow !== null ? this.batch([this.takeHeld()]) : null;
  }

  private batch(lines: Line[]): LineBatch {
    const batch = { input: this.input, first: this.count + 1, lines };
    this.count += lines.length;
    return batch;
  }

  /** The lines of a run of bytes between two newlines. */
  private split(run: Buffer): Line[] {
    // The usual case: one native UTF-8 check and one decode for the whole run.
    if (run.length <= this.maxLineBytes && isUtf8(run)) return run.toString('utf8').split('\n');
    const lines: Line[] = [];
    for (let start = 0; ; ) {
      const next = run.indexOf(NEWLINE, start);
      const end = next === -1 ? run.length : next;
      lines.push(this.lineOf(run.subarray(start, end)));
      if (next === -1) return lines;
      start = next + 1;
    }
  }

  private lineOf(bytes: Buffer): Line {
    if (bytes.length > this.maxLineBytes) return { kind: 'too-long', bytes: bytes.length, head: headOf([bytes], bytes.length) };
    // Copied, so that a kept line does not pin the whole chunk it came in.
    if (!isUtf8(bytes)) return { kind: 'invalid-utf8', raw: Buffer.from(bytes) };
    return bytes.toString('utf8');
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0) return;
    const overflow = this.overflow;
    if (overflow !== null) {
      overflow.bytes += piece.length;
      // Only when the limit is below HEAD_BYTES is the head not complete yet.
      if (overflow.head.length < HEAD_BYTES) overflow.head = headOf([overflow.head, piece], overflow.head.length + piece.length);
      return;
    }
    this.held.push(piece);
    this.heldBytes += piece.length;
    if (this.heldBytes > this.maxLineBytes) {
      this.overflow = { bytes: this.heldBytes, head: headOf(this.held, this.heldBytes) };
      this.held = [];
      this.heldBytes = 0;
    }
  }

  /** The line built from the held pieces, which are let go. */
  private takeHeld(): Line {
    const overflow = this.overflow;
    if (overflow !== null) {
      this.overflow = null;
      return { kind: 'too-long', ...overflow };
    }
    const held = this.held;
    const bytes = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    return this.lineOf(bytes);
  }
}
