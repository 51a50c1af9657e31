import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INSERTED, pivotText } from '../support/pivot-helpers.js';

const sample = (name: string) => readFileSync(new URL(`../../fixtures/samples/${name}`, import.meta.url), 'utf8');
const I = INSERTED;

// The seed's walkthrough, pivoted: what fixtures/samples/*.jsonl must turn into.
const SNAPSHOT_ROWS = [
  ['1000', '1', 'holding_stock', null, 'VFIAX', '2021-06-26T21:50:00.000001Z', null, null, I, 'r'],
  ['1000', '1', 'holding_quantity', null, '10', '2021-06-26T21:50:00.000001Z', null, null, I, 'r'],
];
const CHANGE_ROWS = [
  ['1001', '2', 'holding_stock', null, 'SP500', '2021-06-26T21:51:00.000001Z', null, null, I, 'c'],
  ['1001', '2', 'holding_quantity', null, '1', '2021-06-26T21:51:00.000001Z', null, null, I, 'c'],
  ['1002', '3', 'holding_stock', null, 'SP500', '2021-06-26T21:51:00.250001Z', null, null, I, 'c'],
  ['1002', '3', 'holding_quantity', null, '1', '2021-06-26T21:51:00.250001Z', null, null, I, 'c'],
  ['1000', '1', 'holding_stock', 'VFIAX', 'VFIAX', null, '2021-06-26T21:52:00.500Z', null, I, 'u'],
  ['1000', '1', 'holding_quantity', '10', '100', null, '2021-06-26T21:52:00.500Z', null, I, 'u'],
  ['1002', '3', 'holding_stock', 'SP500', null, null, null, '2021-06-26T21:53:00.500Z', I, 'd'],
  ['1002', '3', 'holding_quantity', '1', null, null, null, '2021-06-26T21:53:00.500Z', I, 'd'],
  ['1001', '2', 'holding_stock', 'SP500', null, null, null, '2021-06-26T21:54:00.500Z', I, 'd'],
  ['1001', '2', 'holding_quantity', '1', null, null, null, '2021-06-26T21:54:00.500Z', I, 'd'],
  ['1003', '3', 'holding_stock', null, 'VTSAX', '2021-06-26T21:55:00.000001Z', null, null, I, 'c'],
  ['1003', '3', 'holding_quantity', null, '100', '2021-06-26T21:55:00.000001Z', null, null, I, 'c'],
  ['1003', '3', 'holding_stock', 'VTSAX', 'VTSAX', null, '2021-06-26T21:56:00.500Z', null, I, 'u'],
  ['1003', '3', 'holding_quantity', '100', '10', null, '2021-06-26T21:56:00.500Z', null, I, 'u'],
];

describe.each([
  ['with the schema envelope', 'walkthrough-envelope.jsonl'],
  ['without the schema envelope', 'walkthrough-plain.jsonl'],
])('the seed walkthrough %s', (_, file) => {
  it('pivots creates, updates and deletes, skipping the snapshot read by default', () => {
    expect(pivotText(sample(file))).toEqual(CHANGE_ROWS);
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
    expect(rows[4]?.[6]).toBe('1624744320500');
    expect(rows[6]?.[7]).toBe('1624744380500');
  });
});
