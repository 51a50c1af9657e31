import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactNumber, parseExactJson, type ExactJson } from '../../src/core/exact-json.js';

/** What JSON.parse gives for the same text: each ExactNumber as the double its text denotes. */
function asParsed(value: ExactJson): unknown {
  if (value instanceof ExactNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(asParsed);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) Object.defineProperty(out, key, { value: asParsed(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** The value and its keys' order, which toEqual alone does not compare. */
const shape = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v) : v));

/** JSON.parse's verdict and value, or its refusal. */
function both(text: string): { exact: string | 'rejected'; reference: string | 'rejected' } {
  const attempt = (parse: () => unknown) => {
    try {
      return shape(parse());
    } catch {
      return 'rejected';
    }
  };
  return { exact: attempt(() => asParsed(parseExactJson(text))), reference: attempt(() => JSON.parse(text)) };
}

// Keys JSON.parse treats specially (array-index order, the prototype) beside ordinary ones.
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', '0', '10', '1', 'constructor'));
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String).filter((s) => /^-?\d/.test(s)),
  fc.bigInt().map(String),
  fc.constantFrom('0', '-0', '1e2', '1E+2', '2.50e-3', '9007199254740993', '-0.0'),
);
// JSON text with numbers written in every form, keys in any order, and spaces where JSON allows them.
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    number,
    fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((pairs) => `{ ${pairs.map(([k, v]) => `${JSON.stringify(k)} :${v}`).join(',\n\t')} }`),
  ),
})).value;

describe('parseExactJson against JSON.parse', () => {
  it('gives the same values, keys in the same order, for any JSON text', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const { exact, reference } = both(text);
        expect(reference).not.toBe('rejected');
        expect(exact).toBe(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every number exactly as written', () => {
    fc.assert(
      fc.property(number, (literal) => {
        expect(parseExactJson(`[${literal}]`)).toEqual([new ExactNumber(literal)]);
      }),
    );
  });

  it('accepts and rejects what JSON.parse does, on JSON text with a character changed and on random text', () => {
    const edited = fc.tuple(jsonText, fc.nat(), fc.constantFrom('', ' ', '"', '\\', ',', ':', '{', '}', '[', ']', '0', '-', '.', 'e', 't', 'n', '\u0001', '\u00a0')).map(
      ([text, at, c]) => {
        const i = at % (text.length + 1);
        return at % 2 === 0 ? text.slice(0, i) + c + text.slice(i) : text.slice(0, i) + c + text.slice(i + 1);
      },
    );
    const random = fc.string({ unit: fc.constantFrom(...'{}[]",:.-+eE0123456789 \t\r\ntrufalsn\\u/b'.split('')), maxLength: 14 });
    fc.assert(
      fc.property(fc.oneof(edited, random), (text) => {
        const { exact, reference } = both(text);
        expect(exact).toBe(reference);
      }),
      { numRuns: 5000 },
    );
  });
});
