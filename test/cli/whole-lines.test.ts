import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineRuns, WholeLines, type Line, type LineBatch } from '../../src/cli/whole-lines.js';
import { chunked } from '../support/chunked.js';

/** Feeds `input` to a splitter in the given chunks; returns the batches it gave. */
function split(input: Buffer, cuts: number[], maxLineBytes: number): LineBatch[] {
  const lines = new WholeLines('in', maxLineBytes);
  const batches = chunked(input, cuts).map((chunk) => lines.push(chunk));
  return [...batches, lines.end()].filter((b): b is LineBatch => b !== null);
}

const lineArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => Buffer.from(s.replace(/\n/g, ''))),
  fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0a))),
);

describe('WholeLines', () => {
  it('gives every line whole and numbered, whatever the chunks: text, or why it has none', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 8 }),
        fc.integer({ min: 4, max: 40 }),
        (lines, finalNewline, cuts, max) => {
          const input = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || finalNewline ? [l, Buffer.from('\n')] : [l])));
          const batches = split(input, cuts, max);
          // A last line that is empty and unterminated is no line at all.
          const expected = (finalNewline || lines.at(-1)?.length !== 0 ? lines : lines.slice(0, -1)).map((line): Line => {
            if (line.length > max) return { kind: 'too-long', bytes: line.length, head: line.subarray(0, 256) };
            const text = line.toString('utf8');
            return Buffer.from(text).equals(line) ? text : { kind: 'invalid-utf8', raw: line };
          });
          expect(batches.flatMap((b) => b.lines)).toEqual(expected);
          let next = 1;
          for (const batch of batches) {
            expect([batch.input, batch.first]).toEqual(['in', next]);
            next += batch.lines.length;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps the size and first 256 bytes of a line over the limit, never a copy of what it held', () => {
    const lines = new WholeLines('in', 100_000);
    const big = Buffer.alloc(300_000, 'x');
    const concat = Buffer.concat;
    let largest = 0;
    Buffer.concat = (list: readonly Uint8Array[], length?: number) => {
      largest = Math.max(largest, length ?? list.reduce((n, b) => n + b.length, 0));
      return concat(list, length);
    };
    try {
      for (let at = 0; at < big.length; at += 1024) expect(lines.push(big.subarray(at, at + 1024))).toBeNull();
      expect(lines.push(Buffer.from('\nok\n'))).toEqual({ input: 'in', first: 1, lines: [{ kind: 'too-long', bytes: 300_000, head: big.subarray(0, 256) }, 'ok'] });
    } finally {
      Buffer.concat = concat;
    }
    // The 100 KB held until the line passed the limit were let go, not joined to cut its head off.
    expect(largest).toBeLessThan(1024);
  });
});

describe('lineRuns', () => {
  it('decodes runs longer than a decoded piece into the same lines, pieces ending only at newlines', () => {
    const lengthArb = fc.constantFrom(0, 1, 100, 30_000, 65_535, 65_536, 70_000);
    fc.assert(
      fc.property(fc.array(lengthArb, { minLength: 2, maxLength: 12 }), (lengths) => {
        const lines = lengths.map((n, i) => String.fromCharCode(97 + (i % 26)).repeat(n));
        const runs = [...lineRuns({ opening: Buffer.from(lines[0] as string), rest: Buffer.from(lines.slice(1).join('\n')) }, 1 << 20)];
        // Compared by lengths and first letters: a failure stays readable.
        const shape = (l: Line) => (typeof l === 'string' ? `${l.slice(0, 1)}${l.length}` : l.kind);
        expect(runs.flat().map(shape)).toEqual(lines.map(shape));
        for (const run of runs.slice(1)) expect(run.reduce((n, l) => n + (l as string).length + 1, 0)).toBeLessThanOrEqual(65_536 + 70_001);
      }),
      { numRuns: 200 },
    );
  });
});
