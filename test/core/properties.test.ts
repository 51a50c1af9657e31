import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDENTITY_COLUMNS, type OutputRow } from '../../src/core/columns.js';
import { csvText } from '../../src/cli/csv-text.js';
import { eventLineArb, garbageArb } from '../support/arbitraries.js';
import { decoder, INSERTED } from '../support/pivot-helpers.js';

const rowsOfLines = (lines: string[], options = {}): OutputRow[] => {
  const d = decoder({ snapshot: true, ...options });
  return lines.flatMap((line) => {
    const outcome = d.decode(line, INSERTED);
    return outcome.kind === 'rows' ? outcome.rows : [];
  });
};

describe('properties', () => {
  it('any interleaving of events and garbage gives exactly the rows of the events alone', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(eventLineArb.map((l) => ({ valid: true, l })), garbageArb.map((l) => ({ valid: false, l }))), { maxLength: 40 }), (items) => {
        const alone = items.filter((i) => i.valid).flatMap((i) => rowsOfLines([i.l]));
        expect(rowsOfLines(items.map((i) => i.l))).toEqual(alone);
        for (const garbage of items.filter((i) => !i.valid)) expect(decoder().decode(garbage.l, INSERTED).kind).toBe('rejected');
      }),
      { numRuns: 300 },
    );
  });

  it('the schema shortcut agrees with the full parse on generated streams', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(eventLineArb, garbageArb), { maxLength: 30 }), (lines) => {
        const fast = decoder({ snapshot: true });
        const identified = decoder({ snapshot: true, with: [...IDENTITY_COLUMNS] });
        for (const line of lines) {
          expect(fast.decode(line, INSERTED)).toEqual(fast.decodeWithoutShortcut(line, INSERTED));
          expect(identified.decode(line, INSERTED)).toEqual(identified.decodeWithoutShortcut(line, INSERTED));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('CSV output parses back to the original values, NULL and "" kept apart', () => {
    const cell = fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: null });
    const row = fc.tuple(cell, cell, cell, cell, cell, cell, cell, cell, cell, cell) as fc.Arbitrary<OutputRow>;
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const parsed = parse(csvText(rows), {
          relax_column_count: false,
          cast: (value, context) => (context.quoting ? value : value === '' ? null : value),
        }) as unknown[][];
        expect(parsed).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });
});
