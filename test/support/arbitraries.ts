import fc from 'fast-check';
import { holdingEventLine, type Holding, type HoldingChange } from './debezium-events.js';

/** Arbitrary change events and garbage lines, for the property tests of the core and the shell. */

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
export const eventLineArb = fc.tuple(changeArb, fc.constantFrom('envelope', 'plain', 'kcat-json')).map(([change, form]) =>
  form === 'kcat-json'
    ? JSON.stringify({ topic: 't', partition: 0, offset: 1, key: null, payload: holdingEventLine(change, true) })
    : holdingEventLine(change, form === 'envelope'),
);

/** Lines that are no change event: random text, truncated events, JSON of the wrong shape. */
export const garbageArb = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\n') && s.trim() !== '' && s.trim() !== 'null' && s.trim() !== 'NULL'),
  eventLineArb.chain((line) => fc.integer({ min: 1, max: line.length - 1 }).map((n) => line.slice(0, n))),
  fc.jsonValue().map((v) => JSON.stringify(v)).filter((s) => !s.startsWith('{') && s !== 'null'),
  fc.constantFrom('{"op":"u","after":null}', '{"op":"d"}', '{"op":"z"}', '{"schema":{},"payload":{"op":"c"}}'),
);

