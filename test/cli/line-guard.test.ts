import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineGuard, type LineFlag, type LineFlags } from '../../src/cli/line-guard.js';
import { chunked } from '../support/chunked.js';

/** Feeds `input` to a guard in the given chunks; returns what it forwarded and the flags it set. */
async function guard(input: Buffer, cuts: number[], maxLineBytes: number): Promise<{ out: Buffer; flags: LineFlags }> {
  const flags: LineFlags = new Map();
  const g = new LineGuard(maxLineBytes, flags);
  const out: Buffer[] = [];
  g.on('data', (b: Buffer) => out.push(b));
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunked(input, cuts)).pipe(g).on('end', resolve).on('error', reject);
  });
  return { out: Buffer.concat(out), flags };
}

const lineArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => Buffer.from(s.replace(/\n/g, ''))),
  fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0a))),
);

describe('LineGuard', () => {
  it('forwards whole lines, whatever the chunks, replacing over-long ones and flagging what is not UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 8 }),
        fc.integer({ min: 4, max: 40 }),
        async (lines, finalNewline, cuts, max) => {
          const input = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || finalNewline ? [l, Buffer.from('\n')] : [l])));
          const { out, flags } = await guard(input, cuts, max);
          const expectedFlags = new Map<number, LineFlag['kind']>();
          const ends = (i: number) => i < lines.length - 1 || finalNewline;
          const expected = lines.map((line, i) => {
            // An over-long line becomes an empty one, newline included even at the very end,
            // so that split2 still hands over a line with its number.
            if (line.length > max) {
              expectedFlags.set(i + 1, 'too-long');
              return Buffer.from('\n');
            }
            if (!Buffer.from(line.toString('utf8')).equals(line)) expectedFlags.set(i + 1, 'invalid-utf8');
            return ends(i) ? Buffer.concat([line, Buffer.from('\n')]) : line;
          });
          const text = Buffer.concat(expected);
          expect(out.equals(text), `${JSON.stringify(out.toString())} ≠ ${JSON.stringify(text.toString())}`).toBe(true);
          expect(new Map([...flags].map(([n, f]) => [n, f.kind]))).toEqual(expectedFlags);
          for (const [n, f] of flags) {
            const line = lines[n - 1] as Buffer;
            if (f.kind === 'too-long') expect([f.bytes, f.head]).toEqual([line.length, line.subarray(0, 256)]);
            if (f.kind === 'invalid-utf8') expect(f.raw).toEqual(Buffer.concat([line, ...(n < lines.length || finalNewline ? [Buffer.from('\n')] : [])]));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
