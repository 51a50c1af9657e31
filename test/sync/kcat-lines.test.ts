import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/sync/kcat.js';

async function lines(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of splitLines(Readable.from(chunks))) out.push(line.toString('latin1'));
  return out;
}

describe('splitLines (what kcat prints, into messages)', () => {
  it('splits at every newline, whatever the chunks, and drops a cut-off last line', async () => {
    expect(await lines([Buffer.from('a\nb'), Buffer.from('c\n\nd')])).toEqual(['a', 'bc', '']);
  });

  it('gives the same lines however the bytes are chunked, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), async (pieces, cuts) => {
        const whole = Buffer.concat([...pieces.map((p) => Buffer.from(p)), Buffer.from('\n')]);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const cut of cuts) {
          const end = Math.min(whole.length, at + (cut % 16) + 1);
          chunks.push(whole.subarray(at, end));
          at = end;
        }
        chunks.push(whole.subarray(at));
        const expected = whole.toString('latin1').split('\n').slice(0, -1);
        expect(await lines(chunks.filter((c) => c.length > 0))).toEqual(expected);
      }),
    );
  });
});
