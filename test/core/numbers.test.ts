import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Decimal, scaledDecimal } from '../../src/core/decimal.js';
import { ExactNumber, parseExactJson, plainDecimal } from '../../src/core/exact-json.js';

describe('plainDecimal', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['-0.0', '0'],
    ['10', '10'],
    ['1.0', '1'],
    ['1.50', '1.5'],
    ['1.5E+2', '150'],
    ['1.25e-3', '0.00125'],
    ['-12.5e1', '-125'],
    ['9007199254740993', '9007199254740993'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
    ['0.1000000000000000055511151231257827', '0.1000000000000000055511151231257827'],
    ['1e999999999', '1e999999999'],
  ])('%s → %s', (literal, expected) => {
    expect(plainDecimal(literal)).toBe(expected);
  });
});

describe('parseExactJson', () => {
  it('parses like JSON.parse but keeps the digits of every number', () => {
    const text = '{"a":[1,-2.50,3e2,true,false,null,"x\\"y\\u00e9"],"big":9007199254740993,"__proto__":{"p":1}}';
    const value = parseExactJson(text) as Record<string, unknown>;
    expect(value['a']).toEqual([new ExactNumber('1'), new ExactNumber('-2.50'), new ExactNumber('3e2'), true, false, null, 'x"yé']);
    expect(value['big']).toEqual(new ExactNumber('9007199254740993'));
    expect(Object.keys(value)).toEqual(['a', 'big', '__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('rejects what JSON.parse rejects', () => {
    for (const bad of ['{', '[1,]', '{"a" 1}', '01', '1 2', '"abc', 'nul', '[1}', '{"a":1]', '{"a":1,}', '{,}']) {
      expect(() => parseExactJson(bad), bad).toThrow(SyntaxError);
    }
  });

  it('reads any JSON as JSON.parse does, its numbers aside', () => {
    const asParsed = (value: unknown): unknown =>
      value instanceof ExactNumber ? Number(value.text) : Array.isArray(value) ? value.map(asParsed) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asParsed(v)])) : value;
    fc.assert(
      fc.property(fc.json(), fc.constantFrom('', ' ', '\n\t '), (text, space) => {
        const spaced = JSON.stringify(JSON.parse(text), null, space);
        expect(asParsed(parseExactJson(spaced))).toEqual(JSON.parse(spaced));
      }),
      { numRuns: 500 },
    );
  });

  it('reads values nested deeper than the call stack goes', () => {
    const depth = 200_000;
    let value = parseExactJson(`${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`);
    for (let i = 0; i < depth; i++) value = ((value as unknown[])[0] as Record<string, unknown>)['a'] as typeof value;
    expect(value).toEqual(new ExactNumber('1'));
  });
});

describe('Connect decimals', () => {
  it('decodes big-endian two’s-complement bytes with the schema’s scale', () => {
    expect(decodeBase64Decimal('C+o=', 2)).toBe('30.50'); // 0x0BEA = 3050
    expect(decodeBase64Decimal('AdTA', 2)).toBe('1200.00'); // 0x01D4C0 = 120000
    expect(decodeBase64Decimal('/w==', 0)).toBe('-1');
    expect(decodeBase64Decimal('/zg=', 3)).toBe('-0.200'); // 0xFF38 = -200
    expect(decodeBase64Decimal('AA==', 2)).toBe('0.00');
    expect(decodeBase64Decimal('not base64!', 2)).toBe(null);
  });

  it('scales any integer exactly', () => {
    expect(scaledDecimal(5n, 3)).toBe('0.005');
    expect(scaledDecimal(-5n, 3)).toBe('-0.005');
    expect(scaledDecimal(12n, -2)).toBe('1200');
    expect(scaledDecimal(123456789012345678901234567890n, 10)).toBe('12345678901234567890.1234567890');
  });
});
