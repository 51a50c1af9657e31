import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cell, Row } from '../../src/core/columns.js';
import { csvText } from '../../src/cli/csv-text.js';

const row = (...cells: Cell[]): Row => cells as unknown as Row;

describe('csvText', () => {
  it('quotes exactly what PostgreSQL COPY … CSV needs quoted', () => {
    // NULL stays an empty field and '' becomes "". A lone CR is quoted like a LF: COPY ends a record at either.
    const rows = [row(null, '', 'a\rb', 'x\ny', 'say "hi"', 'a,b', ' pad ', 'a\r\nb', '=1', 'plain'), row(null, null, null, null, null, null, null, null, null, '')];
    expect(csvText(rows)).toBe(',"","a\rb","x\ny","say ""hi""","a,b", pad ,"a\r\nb",=1,plain\n' + ',,,,,,,,,""\n');
  });

  it('never leaves a CR, LF, quote or comma outside quotes', () => {
    const cell = fc.option(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' '), maxLength: 6 }), { nil: null });
    const rowArb = fc.tuple(cell, cell, cell, cell, cell, cell, cell, cell, cell, cell) as unknown as fc.Arbitrary<Row>;
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 5 }), (rows) => {
        const unquoted: string[] = [];
        // record_delimiter given, so a bare CR would be read as data and caught here, not taken for a line end.
        const parsed = parse(csvText(rows), {
          record_delimiter: '\n',
          cast: (value, context) => {
            if (!context.quoting) unquoted.push(value);
            return context.quoting ? value : value === '' ? null : value;
          },
        }) as unknown[][];
        expect(parsed).toEqual(rows);
        for (const value of unquoted) expect(value).toMatch(/^[^\r\n",]*$/);
      }),
      { numRuns: 500 },
    );
  });
});
