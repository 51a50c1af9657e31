import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/core/columns.js';
import { csvText } from '../../src/cli/csv-output.js';
import { holdingEventLine, type Holding, type HoldingChange } from '../support/debezium-events.js';
import { decoder, INSERTED } from '../support/pivot-helpers.js';

const holdingArb: fc.Arbitrary<Holding> = fc.record({
  holding_id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  user_id: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  holding_stock: fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null }),
  holding_quantity: fc.option(fc.integer(), { nil: null }),
  datetime_created: fc.option(fc.integer({ min: -6e16, max: 2.5e17 }), { nil: null }),
  datetime_updated: fc.option(fc.integer({ min: 0, max: 2.5e15 }), { nil: null }),
});

const changeArb: fc.Arbitrary<HoldingChange> = fc
  .tuple(fc.constantFrom('c', 'u', 'd', 'r'), holdingArb, holdingArb, fc.integer({ min: 0, max: 2.5e14 }))
  .map(([op, a, b, tsMs]) => ({
    op,
    before: op === 'c' || op === 'r' ? null : a,
    after: op === 'd' ? null : { ...b, holding_id: a.holding_id },
    tsMs,
    txId: 1,
    lsn: 1,
  }));

/** A valid event in one of the forms kcat prints. */
const eventLineArb = fc.tuple(changeArb, fc.constantFrom('envelope', 'plain', 'kcat-json')).map(([change, form]) =>
  form === 'kcat-json'
    ? JSON.stringify({ topic: 't', partition: 0, offset: 1, key: null, payload: holdingEventLine(change, true) })
    : holdingEventLine(change, form === 'envelope'),
);

/** Lines that are no change event: random text, truncated events, JSON of the wrong shape. */
const garbageArb = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\n') && s.trim() !== '' && s.trim() !== 'null' && s.trim() !== 'NULL'),
  eventLineArb.chain((line) => fc.integer({ min: 1, max: line.length - 1 }).map((n) => line.slice(0, n))),
  fc.jsonValue().map((v) => JSON.stringify(v)).filter((s) => !s.startsWith('{') && s !== 'null'),
  fc.constantFrom('{"op":"u","after":null}', '{"op":"d"}', '{"op":"z"}', '{"schema":{},"payload":{"op":"c"}}'),
);

const rowsOfLines = (lines: string[], options = {}): Row[] => {
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
        for (const line of lines) expect(fast.decode(line, INSERTED)).toEqual(fast.decodeWithoutShortcut(line, INSERTED));
      }),
      { numRuns: 200 },
    );
  });

  it('CSV output parses back to the original values, NULL and "" kept apart', () => {
    const cell = fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: null });
    const row = fc.tuple(cell, cell, cell, cell, cell, cell, cell, cell, cell, cell) as fc.Arbitrary<Row>;
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
