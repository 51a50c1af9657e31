import { describe, expect, it } from 'vitest';
import { decoder, INSERTED, rowsOf } from '../support/pivot-helpers.js';

const d = decoder({ fields: ['*'], idField: 'id', userField: '', createdField: '', with: ['event_id', 'source_table', 'lsn', 'tx_id', 'committed_at'] });

describe('flattened events (ExtractNewRecordState)', () => {
  it('reads the metadata add.fields adds, in both its names, and keeps other "__" columns as columns', () => {
    const line = '{"id":1,"__custom":"k","__op":"c","__db":"db","__source_schema":"bank","__table":"t","__lsn":9,"__source_txId":4,"__source_ts_ms":1700000000000,"__ts_ms":1700000000500,"__deleted":"false"}';
    const rows = rowsOf(d.decode(line, INSERTED));
    expect(rows).toEqual([['1', null, '__custom', null, 'k', null, null, null, INSERTED, 'c', expect.stringMatching(/^[0-9a-f]{32}$/), 'bank.t', '9', '4', '2023-11-14T22:13:20.000Z']]);
  });

  it('gives a change the same event_id flattened or not', () => {
    const flat = '{"id":1,"x":"a","__op":"c","__db":"db","__schema":"bank","__table":"t","__lsn":9}';
    const envelope = '{"op":"c","after":{"id":1,"x":"a"},"source":{"db":"db","schema":"bank","table":"t","lsn":9}}';
    const id = (line: string) => (rowsOf(d.decode(line, INSERTED)) as unknown[][])[0]?.[10];
    expect(id(flat)).toBe(id(envelope));
  });

  it('reads the columns of a flattened schema envelope by their types', () => {
    const schema = { type: 'struct', fields: [{ field: 'id', type: 'int32' }, { field: 'at', type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, { field: '__op', type: 'string' }] };
    const line = JSON.stringify({ schema, payload: { id: 1, at: 1_700_000_000_000_001, __op: 'r' } });
    expect(rowsOf(decoder({ fields: ['*'], idField: 'id', userField: '', createdField: '', snapshot: true }).decode(line, INSERTED))).toEqual([
      ['1', null, 'at', null, '2023-11-14T22:13:20.000001Z', null, null, null, INSERTED, 'r'],
    ]);
  });

  it('reads an LSN beyond 2^53 digit for digit', () => {
    const line = '{"id":1,"x":"a","__op":"c","__db":"db","__schema":"bank","__table":"t","__lsn":18446744073709551615}';
    expect((rowsOf(d.decode(line, INSERTED)) as unknown[][])[0]?.[12]).toBe('18446744073709551615');
  });

  it('pivots a rewritten delete from its row, and says what is missing', () => {
    expect(rowsOf(decoder({ fields: ['x'], idField: 'id' }).decode('{"id":1,"x":"a","__op":"d","__deleted":"true"}', INSERTED))).toEqual([
      ['1', null, 'x', 'a', null, null, null, null, INSERTED, 'd'],
    ]);
    expect(rowsOf(d.decode('{"id":1,"x":"a","__deleted":"true"}', INSERTED))).toBe(
      'rejected: a flattened event (ExtractNewRecordState) without "__op": add op to the transform\'s add.fields',
    );
    expect(rowsOf(d.decode('{"id":1,"x":"a","__op":"c","__table":"t"}', INSERTED))).toBe(
      "rejected: event_id needs the change's database, schema, table and LSN: add db,schema,table,lsn to the ExtractNewRecordState transform's add.fields",
    );
    expect(rowsOf(d.decode('{"id":1,"__op":"x"}', INSERTED))).toBe('rejected: unknown op "x"');
  });
});

describe('a flattened row with a column named "op"', () => {
  it('is read by its "__op": "op" is a column', () => {
    expect(rowsOf(decoder({ fields: ['op'], idField: 'id', userField: '', createdField: '' }).decode('{"id":1,"op":"buy","__op":"c"}', INSERTED))).toEqual([
      ['1', null, 'op', null, 'buy', null, null, null, INSERTED, 'c'],
    ]);
  });
});
