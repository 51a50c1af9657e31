/**
 * Many tables on the real stack, judged from what stack/e2e.sh kept: bank.holding and bank.trade
 * (composite key, uuid user, numeric, jsonb, timestamptz, a column added mid-stream) read in one
 * kcat -G run, pivoted with one configuration (stack/e2e-tables.json), loaded twice into
 * sql/audit_trail.sql and asked stack/e2e-tables.sql; and the same changes flattened by
 * ExtractNewRecordState.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../integration/psql.js';
import { E2E_DIR, output, ROOT } from './outputs.js';

type Cells = (string | null)[];
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** COPY's reading of CSV: an unquoted empty field is NULL, "" the empty string. */
const records = (text: string): Cells[] => parse(text, { cast: (value, context) => (value === '' && !context.quoting ? null : value) }) as Cells[];

/** A row's cells with the time columns (1-based) as '*' when they hold a time. */
const masked = (cells: Cells, times: readonly number[]): string =>
  JSON.stringify(cells.map((v, i) => (times.includes(i + 1) && v !== null && (v === '*' || ISO_UTC.test(v)) ? '*' : v)));

const csv = (name: string): Cells[] => records(output(`${name}.csv`));
const ofTable = (rows: Cells[], table: string): Cells[] => rows.filter((r) => r[0] === table);

const U1 = '6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11';
const U2 = '0b7d4c3e-1f2a-4e5b-8c6d-9e0f1a2b3c4d';

describe.skipIf(E2E_DIR === null)('many tables: one kcat run, one configuration, one audit table', () => {
  it.each(['tables', 'flat'])('kcat -G | holding-pivot --config (%s): both exit 0', (name) => {
    expect(output(`${name}.status`)).toBe('0 0\n');
  });

  it('reads both topics in the one run and writes nothing on stderr', () => {
    const topics = output('tables.kcat.out')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { topic: string }).topic);
    expect([...new Set(topics)].sort()).toEqual(['bankserver_tables.bank.holding', 'bankserver_tables.bank.trade']);
    expect(output('tables.pivot.err')).toBe('');
  });

  it('pivots bank.holding as the single-table run does (stack/e2e-expected.csv), less the unchanged update rows', () => {
    const expected = records(readFileSync(join(ROOT, 'stack', 'e2e-expected.csv'), 'utf8'))
      .filter((r) => !(r[9] === 'u' && r[3] === r[4]))
      .map((r) => masked(r, [6, 7, 8, 9]));
    expect(ofTable(csv('tables'), 'bank.holding').map((r) => masked(r.slice(1, 11), [6, 7, 8, 9]))).toEqual(expected);
  });

  it('loads every row once, however often the batch is loaded', () => {
    expect(output('tables-load.log').match(/INSERT 0 \d+/g)).toEqual([`INSERT 0 ${csv('tables').length}`, 'INSERT 0 0']);
  });

  it('audits bank.trade: "*" but the excluded note, the added column from its first change, one row per decoded change', () => {
    expect(output('trade-rows.txt').trimEnd().split('\n')).toEqual([
      `["7","1"]|${U1}|meta|<null>|{"side": "buy"}|2026-03-01 09:29:00|f|f|c`,
      `["7","1"]|${U1}|price|<null>|12.500|2026-03-01 09:29:00|f|f|c`,
      `["7","1"]|${U1}|traded_at|<null>|2026-03-01T09:30:00.000000Z|2026-03-01 09:29:00|f|f|c`,
      `["7","2"]|${U2}|meta|<null>|{"lots": [1, 2], "side": "sell"}|2026-03-01 08:59:00|f|f|c`,
      `["7","2"]|${U2}|price|<null>|99.125|2026-03-01 08:59:00|f|f|c`,
      `["7","2"]|${U2}|traded_at|<null>|2026-03-01T09:00:00.000000Z|2026-03-01 08:59:00|f|f|c`,
      `["7","1"]|${U1}|meta|{"side": "buy"}|{"tag": "x,y", "side": "buy"}|<null>|t|f|u`,
      `["7","1"]|${U1}|price|12.500|12.750|<null>|t|f|u`,
      `["7","1"]|${U1}|venue|<null>|XNYS|<null>|t|f|u`,
      `["7","2"]|${U2}|meta|{"lots": [1, 2], "side": "sell"}|<null>|<null>|f|t|d`,
      `["7","2"]|${U2}|price|99.125|<null>|<null>|f|t|d`,
      `["7","2"]|${U2}|traded_at|2026-03-01T09:00:00.000000Z|<null>|<null>|f|t|d`,
      `["7","2"]|${U2}|venue|<null>|<null>|<null>|f|t|d`,
    ]);
  });

  it('answers per table, per entity and per user (stack/e2e-tables.sql)', () => {
    // holding: 6 creates, 3 deletes, the snapshot row, 2 updates that changed both fields (2 rows each)
    expect(Object.fromEntries(parseAnswers(output('tables-questions.out')))).toEqual({
      rows_per_table: ['bank.holding|c|12', 'bank.holding|d|6', 'bank.holding|r|2', 'bank.holding|u|4', 'bank.trade|c|6', 'bank.trade|d|4', 'bank.trade|u|3'],
      holding_stock_changes: ['2'],
      trade_price_history: ['12.500 -> 12.750'],
      trade_changes_by_user: [`${U2}|1`, `${U1}|2`],
      trade_lots: ['[1, 2]'],
    });
  });
});

describe.skipIf(E2E_DIR === null)('many tables: the same changes flattened by ExtractNewRecordState', () => {
  it('warns once per table that updates have no old values', () => {
    expect(
      output('flat.pivot.err')
        .split('\n')
        .filter((line) => line.includes('carry no "before" image'))
        .map((line) => line.replace(/^holding-pivot: stdin:\d+: /, ''))
        // kcat -G interleaves the two topics: which table comes first varies
        .sort(),
    ).toEqual(
      ['bank.holding', 'bank.trade'].map(
        (t) => `warning: updates of ${t} carry no "before" image, so old_value is NULL; flattened events (ExtractNewRecordState) have none: pivot the unflattened topic for old values`,
      ),
    );
  });

  it('pivots bank.trade: every column of each row, old values only for the delete', () => {
    const rows = ofTable(csv('flat'), 'bank.trade').map((r) => JSON.stringify([...r.slice(3, 6), r[10]]));
    const image = (price: string, meta: string, at: string, venue?: string | null): Cells[] =>
      [['price', price], ['meta', meta], ['traded_at', at], ...(venue === undefined ? [] : [['venue', venue]])] as Cells[];
    const trade1 = (price: string, meta: string, venue?: string | null) => image(price, meta, '2026-03-01T09:30:00.000000Z', venue);
    const trade2 = (venue?: string | null) => image('99.125', '{"lots": [1, 2], "side": "sell"}', '2026-03-01T09:00:00.000000Z', venue);
    const as = (op: string, cells: Cells[]) => cells.map(([field, value]) => JSON.stringify(op === 'd' ? [field, value, null, op] : [field, null, value, op]));
    expect(rows).toEqual([
      ...as('c', trade1('12.500', '{"side": "buy"}')),
      ...as('c', trade2()),
      ...as('u', trade1('12.750', '{"tag": "x,y", "side": "buy"}')),
      ...as('u', trade1('12.750', '{"tag": "x,y", "side": "buy"}', 'XNYS')),
      ...as('u', trade2(null)),
      ...as('u', trade2(null)),
      ...as('d', trade2(null)),
    ]);
  });

  it('gives each change the event_id of its unflattened event', () => {
    const ids = (rows: Cells[], at: number) => new Set(rows.filter((r) => r[10] !== 'r').map((r) => r[at]));
    const flat = ids(csv('flat'), 11);
    const full = ids(csv('tables'), 11);
    // Snapshot reads aside: each connector's snapshot has an LSN of its own.
    expect([...full].filter((id) => !flat.has(id))).toEqual([]);
    // every message of the flattened topics but the snapshot row is one change
    expect(flat.size).toBe(output('flat.kcat.out').trimEnd().split('\n').length - 1);
  });
});
