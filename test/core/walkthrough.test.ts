import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INSERTED, pivotText } from '../support/pivot-helpers.js';

const sample = (name: string) => readFileSync(new URL(`../../fixtures/samples/${name}`, import.meta.url), 'utf8');
const I = INSERTED;

// The tutorial's walkthrough, pivoted: what fixtures/samples/*.jsonl must turn into.
const SNAPSHOT_ROWS = [
  ['1000', '1', 'holding_stock', null, 'VFIAX', '2021-06-26T21:50:00.000001Z', null, null, I, 'r'],
  ['1000', '1', 'holding_quantity', null, '10', '2021-06-26T21:50:00.000001Z', null, null, I, 'r'],
];
/** The rows of the changes; `at(m)` is the time of the update or delete at 21:5m. */
const changeRows = (at: (minute: number) => string) => [
  ['1001', '2', 'holding_stock', null, 'SP500', '2021-06-26T21:51:00.000001Z', null, null, I, 'c'],
  ['1001', '2', 'holding_quantity', null, '1', '2021-06-26T21:51:00.000001Z', null, null, I, 'c'],
  ['1002', '3', 'holding_stock', null, 'SP500', '2021-06-26T21:51:00.250001Z', null, null, I, 'c'],
  ['1002', '3', 'holding_quantity', null, '1', '2021-06-26T21:51:00.250001Z', null, null, I, 'c'],
  ['1000', '1', 'holding_stock', 'VFIAX', 'VFIAX', null, at(2), null, I, 'u'],
  ['1000', '1', 'holding_quantity', '10', '100', null, at(2), null, I, 'u'],
  ['1002', '3', 'holding_stock', 'SP500', null, null, null, at(3), I, 'd'],
  ['1002', '3', 'holding_quantity', '1', null, null, null, at(3), I, 'd'],
  ['1001', '2', 'holding_stock', 'SP500', null, null, null, at(4), I, 'd'],
  ['1001', '2', 'holding_quantity', '1', null, null, null, at(4), I, 'd'],
  ['1003', '3', 'holding_stock', null, 'VTSAX', '2021-06-26T21:55:00.000001Z', null, null, I, 'c'],
  ['1003', '3', 'holding_quantity', null, '100', '2021-06-26T21:55:00.000001Z', null, null, I, 'c'],
  ['1003', '3', 'holding_stock', 'VTSAX', 'VTSAX', null, at(6), null, I, 'u'],
  ['1003', '3', 'holding_quantity', '100', '10', null, at(6), null, I, 'u'],
];
// Debezium committed each change 37 ms before it processed it (see test/support/debezium-events.ts).
const CHANGE_ROWS = changeRows((m) => `2021-06-26T21:5${m}:00.463000Z`);
const PROCESSED_ROWS = changeRows((m) => `2021-06-26T21:5${m}:00.500Z`);

describe.each([
  ['with the schema envelope', 'walkthrough-envelope.jsonl'],
  ['without the schema envelope', 'walkthrough-plain.jsonl'],
])('the walkthrough %s', (_, file) => {
  it('pivots creates, updates and deletes, skipping the snapshot read by default', () => {
    expect(pivotText(sample(file))).toEqual(CHANGE_ROWS);
  });

  it('stamps updates and deletes with the connector\'s ts_ms with --event-time processed', () => {
    expect(pivotText(sample(file), { eventTime: 'processed' })).toEqual(PROCESSED_ROWS);
  });

  it('pivots the snapshot read like a create with --snapshot', () => {
    expect(pivotText(sample(file), { snapshot: true })).toEqual([...SNAPSHOT_ROWS, ...CHANGE_ROWS]);
  });

  it('keeps only the fields that changed in updates with --changed-only', () => {
    const changedOnly = CHANGE_ROWS.filter((row) => !(row[9] === 'u' && row[3] === row[4]));
    expect(pivotText(sample(file), { changedOnly: true })).toEqual(changedOnly);
    expect(changedOnly).toHaveLength(CHANGE_ROWS.length - 2);
  });

  it('writes the raw epoch numbers with --timestamps epoch', () => {
    const rows = pivotText(sample(file), { timestamps: 'epoch' });
    expect(rows[0]?.[5]).toBe('1624744260000001');
    // source.ts_ms: an epoch column keeps one unit, milliseconds, even where source.ts_us is given.
    expect(rows[4]?.[6]).toBe('1624744320463');
    expect(rows[6]?.[7]).toBe('1624744380463');
  });
});
