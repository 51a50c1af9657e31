import { isUtf8 } from 'node:buffer';

const NEWLINE = 0x0a;
/** How much of an over-long line is kept, to show where it began. */
const HEAD_BYTES = 256;

/** A line too long to hold: its size in bytes, without its end, and its first bytes. */
export interface TooLongLine {
  readonly kind: 'too-long';
  readonly bytes: number;
  readonly head: Uint8Array;
}

/** A line that has no text to convert; the next stage rejects it. */
export type UnreadableLine =
  | TooLongLine
  /** `raw`: the line's bytes, without its newline. */
  | { readonly kind: 'invalid-utf8'; readonly raw: Uint8Array };

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

/**
 * Whole lines as bytes, before any decoding: the line that the held bytes and the chunk's start
 * complete, then the bytes of the lines after it (newlines between them, none after the last).
 */
export interface LineCut {
  readonly opening: Uint8Array | TooLongLine;
  readonly rest: Uint8Array | null;
}

/** The first HEAD_BYTES bytes of `pieces`, copied, without joining the rest. */
function headOf(pieces: readonly Uint8Array[], bytes: number): Buffer {
  const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, bytes));
  let at = 0;
  for (const piece of pieces) {
    if (at === head.length) break;
    const n = Math.min(piece.length, head.length - at);
    head.set(n === piece.length ? piece : piece.subarray(0, n), at);
    at += n;
  }
  return head;
}

const buffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));

/**
 * Cuts an input's bytes into whole lines, without decoding them: each chunk gives the lines it
 * completes, and the bytes after its last newline wait for the next. A line longer than the limit
 * is not held: past the limit only its size and first bytes are kept. Used by WholeLines, and on
 * its own where the lines are decoded in another thread (worker-pool.ts).
 */
export class LineCutter {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Set once the held line has passed the limit: its size and first bytes, the rest dropped. */
  private overflow: { bytes: number; head: Uint8Array } | null = null;

  constructor(private readonly maxLineBytes: number) {}

  /** The lines this chunk completes, or null when it completes none. */
  push(chunk: Uint8Array): LineCut | null {
    const first = chunk.indexOf(NEWLINE);
    if (first === -1) {
      this.hold(chunk);
      return null;
    }
    this.hold(chunk.subarray(0, first));
    const opening = this.takeHeld();
    const last = chunk.lastIndexOf(NEWLINE);
    const rest = last > first ? chunk.subarray(first + 1, last) : null;
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
    return { opening, rest };
  }

  /** At the end of the input: its last line when that has no newline, else null. */
  end(): LineCut | null {
    return this.heldBytes > 0 || this.overflow !== null ? { opening: this.takeHeld(), rest: null } : null;
  }

  private hold(piece: Uint8Array): void {
    if (piece.length === 0) return;
    const overflow = this.overflow;
    if (overflow !== null) {
      overflow.bytes += piece.length;
      // Only when the limit is below HEAD_BYTES is the head not complete yet.
      if (overflow.head.length < HEAD_BYTES) overflow.head = headOf([overflow.head, piece], overflow.head.length + piece.length);
      return;
    }
    // Copied: the reader may fill the chunk it came in again (range-reader.ts), and a copy of a
    // line's start is all a whole chunk would otherwise be kept for.
    this.held.push(Buffer.from(piece));
    this.heldBytes += piece.length;
    if (this.heldBytes > this.maxLineBytes) {
      this.overflow = { bytes: this.heldBytes, head: headOf(this.held, this.heldBytes) };
      this.held = [];
      this.heldBytes = 0;
    }
  }

  /** The line built from the held pieces, which are let go. */
  private takeHeld(): Uint8Array | TooLongLine {
    const overflow = this.overflow;
    if (overflow !== null) {
      this.overflow = null;
      return { kind: 'too-long', ...overflow };
    }
    const held = this.held;
    const bytes = held.length === 1 ? (held[0] as Uint8Array) : Buffer.concat(held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    return bytes;
  }
}

/** One line's bytes as a Line: a line over the limit, or not UTF-8, is kept as what it is. */
function lineOf(bytes: Uint8Array, maxLineBytes: number): Line {
  if (bytes.length > maxLineBytes) return { kind: 'too-long', bytes: bytes.length, head: headOf([bytes], bytes.length) };
  // Copied, so that a kept line does not pin the whole chunk it came in.
  if (!isUtf8(bytes)) return { kind: 'invalid-utf8', raw: Buffer.from(bytes) };
  return buffer(bytes).toString('utf8');
}

/**
 * The lines of a cut, decoded, in runs of at most DECODE_BYTES each: a line is decoded only once
 * it is whole, so a UTF-8 character cut between chunks is never mangled, and a line that is not
 * UTF-8 is kept as bytes instead of being mended into U+FFFD. Decoding a run of whole lines at once
 * is what keeps this fast; more than DECODE_BYTES at once is slower (bench/README.md).
 */
export function* lineRuns(cut: LineCut, maxLineBytes: number): Generator<Line[]> {
  const { opening, rest } = cut;
  const first = opening instanceof Uint8Array ? lineOf(opening, maxLineBytes) : opening;
  if (rest === null) {
    yield [first];
    return;
  }
  let lines: Line[] | null = [first];
  for (let start = 0; ; start++) {
    // Pieces end at a newline; a line longer than a piece is a piece of its own.
    let end = start + DECODE_BYTES >= rest.length ? rest.length : rest.lastIndexOf(NEWLINE, start + DECODE_BYTES);
    if (end < start) end = rest.indexOf(NEWLINE, start + DECODE_BYTES);
    if (end === -1) end = rest.length;
    const piece = split(rest.subarray(start, end), maxLineBytes);
    if (lines !== null) piece.unshift(...lines);
    lines = null;
    yield piece;
    if (end === rest.length) return;
    start = end;
  }
}

/** Every line of a cut, decoded (lineRuns), in one array. */
function linesOf(cut: LineCut, maxLineBytes: number): Line[] {
  return [...lineRuns(cut, maxLineBytes)].flat();
}

// The most bytes decoded into one string: V8 makes a string of 128 KiB or more in its large-object
// space, with an mmap and page faults of its own, several times slower (bench/README.md).
const DECODE_BYTES = 64 * 1024;

/** The lines of a run of bytes between two newlines. */
function split(run: Uint8Array, maxLineBytes: number): Line[] {
  // The usual case: one native UTF-8 check and one decode for the whole run.
  if (run.length <= maxLineBytes && isUtf8(run)) return buffer(run).toString('utf8').split('\n');
  const lines: Line[] = [];
  for (let start = 0; ; ) {
    const next = run.indexOf(NEWLINE, start);
    const end = next === -1 ? run.length : next;
    lines.push(lineOf(run.subarray(start, end), maxLineBytes));
    if (next === -1) return lines;
    start = next + 1;
  }
}

/** Cuts an input's bytes into whole lines (LineCutter), decodes them (linesOf) and numbers them. */
export class WholeLines {
  /** Lines given so far. */
  private count = 0;
  private readonly cutter: LineCutter;

  constructor(
    readonly input: string,
    private readonly maxLineBytes: number,
  ) {
    this.cutter = new LineCutter(maxLineBytes);
  }

  /** The lines this chunk completes, or null when it completes none. */
  push(chunk: Uint8Array): LineBatch | null {
    const cut = this.cutter.push(chunk);
    return cut === null ? null : this.batch(linesOf(cut, this.maxLineBytes));
  }

  /** At the end of the input: its last line when that has no newline, else null. */
  end(): LineBatch | null {
    const cut = this.cutter.end();
    return cut === null ? null : this.batch(linesOf(cut, this.maxLineBytes));
  }

  private batch(lines: Line[]): LineBatch {
    const batch = { input: this.input, first: this.count + 1, lines };
    this.count += lines.length;
    return batch;
  }
}
