import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decoder, INSERTED as I, rowsOf } from '../support/pivot-helpers.js';

const opts = { fields: ['v'], idField: 'id', userField: 'u', createdField: '' };
/** A create whose tracked column v holds the JSON text `json`. */
const create = (json: string) => `{"op":"c","after":{"id":1,"u":2,"v":${json}}}`;
const decode = (line: string) => rowsOf(decoder(opts).decode(line, I));

describe('values COPY … CSV cannot load are rejected, not written', () => {
  it.each([
    ['LF \\. LF', '"a\\n\\\\.\\nb"'],
    ['LF \\. CR LF', '"a\\r\\n\\\\.\\r\\nb"'],
    ['LF \\. LF at the very end', '"a\\n\\\\.\\n"'],
  ])('a line that is exactly \\. (%s): COPY would end the data there', (_, json) => {
    expect(decode(create(json))).toBe('rejected: "v" holds a line that is exactly \\., which COPY … CSV takes for the end of the data');
  });

  it.each([
    ['\\. not on a line of its own', '"a\\\\.b"'],
    ['\\. after a lone CR', '"a\\r\\\\.\\rb"'],
    ['\\. followed by a lone CR', '"a\\n\\\\.\\rb"'],
    ['\\. at the end of the value', '"a\\n\\\\."'],
    ['\\. at the start of the value', '"\\\\.\\nb"'],
    ['\\.. on a line', '"a\\n\\\\..\\nb"'],
  ])('keeps %s, which COPY reads as data', (_, json) => {
    const rows = decode(create(json));
    expect(rows).toEqual([['1', '2', 'v', null, JSON.parse(json) as string, null, null, null, I, 'c']]);
  });

  it('U+0000, which PostgreSQL text cannot store', () => {
    expect(decode(create('"a\\u0000b"'))).toBe('rejected: "v" holds U+0000, which PostgreSQL text cannot store');
  });

  it('a lone surrogate, instead of writing it as U+FFFD', () => {
    const reason = 'rejected: "v" holds a lone UTF-16 surrogate, which is not a character (JSON "\\udXXX" without its pair)';
    expect(decode(create('"\\ud800"'))).toBe(reason);
    expect(decode(create('"x\\udfff"'))).toBe(reason);
    expect(decode(create('"\\ud83d\\ude00"'))).toEqual([['1', '2', 'v', null, '😀', null, null, null, I, 'c']]);
  });

  it('whichever column holds it: the id, the user, a value in before', () => {
    expect(decode('{"op":"c","after":{"id":"\\u0000","u":2,"v":1}}')).toBe('rejected: "id" holds U+0000, which PostgreSQL text cannot store');
    expect(decode('{"op":"c","after":{"id":1,"u":"\\ud800","v":1}}')).toMatch(/^rejected: "u" holds a lone UTF-16 surrogate/);
    expect(decode('{"op":"d","before":{"id":1,"u":2,"v":"\\n\\\\.\\n"}}')).toMatch(/^rejected: "v" holds a line that is exactly/);
  });

  it('an instant beyond what PostgreSQL’s timestamp holds, instead of the raw number', () => {
    const line = `{"schema":{"type":"struct","fields":[{"type":"struct","field":"after","fields":[{"type":"int32","field":"id"},{"type":"int32","field":"u"},{"type":"int64","name":"io.debezium.time.Timestamp","field":"v"}]}]},"payload":{"op":"c","after":{"id":1,"u":2,"v":9224318016000000}}}`;
    expect(decode(line)).toBe("rejected: \"v\" = 9224318016000000 is outside PostgreSQL's timestamp range (4714-11-24 BC to 294276-12-31)");
  });

  it('a temporal value that is not an integer, which would reach a timestamp column as text', () => {
    expect(decode('{"op":"u","after":{"id":1,"u":2,"v":3},"ts_ms":1624744320500.5}')).toBe('rejected: "ts_ms" = 1624744320500.5 is not the integer a timestamp is sent as');
    const line = `{"schema":{"type":"struct","fields":[{"type":"struct","field":"after","fields":[{"type":"int32","field":"id"},{"type":"int32","field":"u"},{"type":"int32","name":"io.debezium.time.Date","field":"v"}]}]},"payload":{"op":"c","after":{"id":1,"u":2,"v":"2021-06-26"}}}`;
    expect(decode(line)).toBe('rejected: "v" = "2021-06-26" is not the integer a date is sent as');
  });

  it('JSON-escapes control characters and lone surrogates inside structures, so they load', () => {
    expect(decode(create('{"k":"\\u0000\\ud800"}'))).toEqual([['1', '2', 'v', null, '{"k":"\\u0000\\ud800"}', null, null, null, I, 'c']]);
  });

  it('every string either comes out unchanged or its line is rejected with a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\\', '.', '\n', '\r', '\0', '\ud800', '\udc00', 'é') }), (value) => {
        const rows = decode(create(JSON.stringify(value)));
        if (typeof rows === 'string') expect(rows).toMatch(/^rejected: "v" holds /);
        else expect(rows[0]?.[4]).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});
