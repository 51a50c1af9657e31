import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { ALL_COLUMNS, type TableSpec } from '../../src/core/tables.js';
import { decoder, INSERTED, rowsOf } from '../support/pivot-helpers.js';

const TRADE: TableSpec = { key: ['account_id', 'trade_no'], user: 'trader_id', created: '', fields: ALL_COLUMNS, exclude: ['note'] };
const HOLDING: TableSpec = { key: ['holding_id'], user: 'user_id', created: '', fields: ['holding_stock'], exclude: [] };
const TABLES = new Map([
  ['bank.trade', TRADE],
  ['bank.holding', HOLDING],
]);

const source = (schema: string | null, table: string | null) => ({ db: 'db', schema, table, lsn: 7, ts_ms: 1_700_000_000_000 });
const trade = (extra: Record<string, unknown> = {}) => ({ account_id: 7, trade_no: 2, trader_id: 'u-1', price: '1.50', note: 'n', ...extra });
const kcatJ = (topic: string, value: unknown) => JSON.stringify({ topic, partition: 0, offset: 5, payload: JSON.stringify(value) });

describe('routing by table', () => {
  const d = decoder({ tables: TABLES });

  it('pivots each event with its own table, the table first and a composite key as a JSON array', () => {
    const line = JSON.stringify({ op: 'c', after: trade(), source: source('bank', 'trade') });
    expect(rowsOf(d.decode(line, INSERTED))).toEqual([
      ['bank.trade', '["7","2"]', 'u-1', 'price', null, '1.50', null, null, null, INSERTED, 'c'],
    ]);
  });

  it('skips the events of a table that is not configured, with a notice naming it', () => {
    const line = JSON.stringify({ op: 'c', after: { id: 1 }, source: source('bank', 'other') });
    expect(d.decode(line, INSERTED)).toMatchObject({ kind: 'skipped', what: 'unconfigured', notice: { subject: 'bank.other' } });
  });

  it('falls back on the kcat -J topic, then on a table name configured once', () => {
    const bare = { op: 'c', after: { holding_id: 1, user_id: 2, holding_stock: 'X' } };
    expect(rowsOf(d.decode(kcatJ('bankserver1.bank.holding', bare), INSERTED))).toEqual([
      ['bank.holding', '1', '2', 'holding_stock', null, 'X', null, null, null, INSERTED, 'c'],
    ]);
    const tableOnly = JSON.stringify({ ...bare, source: source(null, 'holding') });
    expect(rowsOf(d.decode(tableOnly, INSERTED))).toHaveLength(1);
  });

  it('rejects an event that names no table at all', () => {
    expect(rowsOf(d.decode(JSON.stringify({ op: 'c', after: trade() }), INSERTED))).toBe(
      'rejected: the event names no table (source.schema and source.table, or a kcat -J topic), so no configured table applies',
    );
  });

  it('rejects an event whose key column is NULL, naming the table\'s "key"', () => {
    const line = JSON.stringify({ op: 'c', after: trade({ trade_no: null }), source: source('bank', 'trade') });
    expect(rowsOf(d.decode(line, INSERTED))).toMatch(/^rejected: the id column "trade_no" is NULL in "after" .*; check the table's "key"$/);
  });

  it('keeps the single-column key as its value, so event_id stays what it was', () => {
    const line = JSON.stringify({ op: 'c', after: { holding_id: 1, user_id: 2, holding_stock: 'X' }, source: source('bank', 'holding') });
    const routed = decoder({ tables: TABLES, with: ['event_id'] }).decode(line, INSERTED);
    const plain = decoder({ fields: ['holding_stock'], createdField: '', with: ['event_id'] }).decode(line, INSERTED);
    expect(routed.kind === 'rows' && plain.kind === 'rows' && routed.rows[0]?.[11] === plain.rows[0]?.[10]).toBe(true);
  });
});

describe('"*": every column of the row image', () => {
  // JSON texts of numbers, and the value each decodes to: 1, 1.0 and 10e-1 are one value.
  const VALUES: Record<string, string | null> = { '1': '1', '1.0': '1', '10e-1': '1', '2': '2', null: null };
  const value = fc.constantFrom(...Object.keys(VALUES));
  const columns = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1 });

  it('with --changed-only, an update writes exactly one row per column whose decoded value changed', () => {
    fc.assert(
      fc.property(columns, fc.array(value, { minLength: 5, maxLength: 5 }), fc.array(value, { minLength: 5, maxLength: 5 }), (names, olds, news) => {
        const image = (values: string[]) => `{"account_id":7,"trade_no":2,${names.map((n, i) => `"${n}":${values[i]}`).join(',')}}`;
        const line = `{"op":"u","before":${image(olds)},"after":${image(news)},"source":{"schema":"bank","table":"trade","ts_ms":1}}`;
        const outcome = decoder({ tables: TABLES, changedOnly: true }).decode(line, INSERTED);
        const changed = names.filter((_, i) => VALUES[olds[i] as string] !== VALUES[news[i] as string]);
        expect(outcome.kind === 'rows' ? outcome.rows.map((row) => row[3]) : outcome).toEqual(changed);
      }),
    );
  });

  it('audits a column added later from its first change, and one only "before" has', () => {
    const line = JSON.stringify({ op: 'u', before: trade({ gone: 'g' }), after: trade({ venue: 'XNYS' }), source: source('bank', 'trade') });
    const outcome = decoder({ tables: TABLES, changedOnly: true }).decode(line, INSERTED);
    expect(outcome.kind === 'rows' ? outcome.rows.map((row) => [row[3], row[4], row[5]]) : outcome).toEqual([
      ['venue', null, 'XNYS'],
      ['gone', 'g', null],
    ]);
  });

  it('means every column but the key with --fields *', () => {
    const line = JSON.stringify({ op: 'c', after: { id: 1, x: 'a', y: null } });
    expect(rowsOf(decoder({ fields: ['*'], idField: 'id', userField: '', createdField: '' }).decode(line, INSERTED))).toEqual([
      ['1', null, 'x', null, 'a', null, null, null, INSERTED, 'c'],
      ['1', null, 'y', null, null, null, null, null, INSERTED, 'c'],
    ]);
  });
});

describe('the configuration file', () => {
  it('reads every entry, with the defaults of what it leaves out', () => {
    expect(parseConfig({ tables: { 'bank.trade': { key: ['a', 'b'], fields: '*', exclude: ['n'] }, 'bank.h': { key: 'id', user: 'u', created: 'c', fields: ['x'] } } })).toEqual(
      new Map([
        ['bank.trade', { key: ['a', 'b'], user: '', created: '', fields: '*', exclude: ['n'] }],
        ['bank.h', { key: ['id'], user: 'u', created: 'c', fields: ['x'], exclude: [] }],
      ]),
    );
  });

  it('names the place of every mistake', () => {
    expect(parseConfig({ tables: { 'bank.t': { key: [], fields: ['x', 'x'], user: '' } }, extra: 1 })).toEqual([
      'tables."bank.t".key: expected at least one key column',
      'tables."bank.t".user: expected a column name, not ""',
      'tables."bank.t".fields: a column is listed twice',
      'extra: unknown key',
    ]);
    expect(parseConfig({ tables: { 'bank.t': { key: 'id', fields: ['x'], exclude: ['y'] } } })).toEqual(['tables."bank.t".exclude: only with "fields": "*"']);
    expect(parseConfig({ tables: {} })).toEqual(['tables: expected at least one table']);
    expect(parseConfig(null)).toEqual(['expected an object with "tables"']);
  });

  it("is the README's example: stack/e2e-tables.json, which the e2e test runs", () => {
    const text = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    const readme = text('README.md');
    const start = readme.indexOf('```json\n', readme.indexOf('### Many tables')) + '```json\n'.length;
    const example = readme.slice(start, readme.indexOf('\n```', start));
    expect(JSON.parse(example)).toEqual(JSON.parse(text('stack/e2e-tables.json')));
    expect(parseConfig(JSON.parse(example))).toBeInstanceOf(Map);
  });
});
