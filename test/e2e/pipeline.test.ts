/**
 * The tutorial's pipeline on the real stack, judged from what stack/e2e.sh kept: kcat in three
 * formats into holding-pivot, a schemaless topic, three group consumers, \copy and the questions.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../integration/psql.js';
import { E2E_DIR, output, ROOT } from './outputs.js';

// The topics and the messages on each, as stack/lib.sh says (the e2e run used them).
const LIB = readFileSync(join(ROOT, 'stack', 'lib.sh'), 'utf8');
const lib = (name: string): string => {
  const value = new RegExp(`^${name}=(\\S+)$`, 'm').exec(LIB)?.[1];
  if (value === undefined) throw new Error(`stack/lib.sh sets no ${name}`);
  return value;
};
const MESSAGES = Number(lib('HP_MSGS_TOTAL'));
const TOPICS = ['HP_TOPIC', 'HP_TOPIC_SCHEMALESS', 'HP_TOPIC_3P'].map(lib);

type Cells = (string | null)[];
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** RFC 4180 records, an unquoted empty field as null and "" as the empty string, as COPY reads them. */
function records(text: string): Cells[] {
  return parse(text, { cast: (value, context) => (value === '' && !context.quoting ? null : value) }) as Cells[];
}

/** The records with the given 1-based columns masked: NULL and '' stay, a UTC timestamp or '*' becomes '*'. */
function masked(text: string, columns: readonly number[]): string[] {
  return records(text).map((cells) => {
    expect(cells).toHaveLength(10);
    return JSON.stringify(
      cells.map((v, i) => (!columns.includes(i + 1) || v === null || v === '' ? v : v === '*' || ISO_UTC.test(v) ? '*' : `?${v}`)),
    );
  });
}

const csv = (name: string): string => output(`${name}.csv`);
const withoutR = (rows: string[]): string[] => rows.filter((r) => !r.endsWith(',"r"]'));
const EXPECTED = readFileSync(join(ROOT, 'stack', 'e2e-expected.csv'), 'utf8');

describe.skipIf(E2E_DIR === null)('PostgreSQL → Debezium → Kafka → kcat → holding-pivot', () => {
  it('the built holding-pivot runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(output('version.txt').trim()).toBe(pkg.version);
  });

  it(`every topic holds the ${MESSAGES} messages; the 3-partition topic has 3 partitions`, () => {
    expect(output('topic-counts.txt')).toBe(TOPICS.map((t) => `${t} ${MESSAGES}\n`).join(''));
    expect(output('partitions-3p.txt').trim()).toBe('3');
  });

  it.each(['plain-snapshot', 'plain', 'Z-snapshot', 'Z', 'J-snapshot', 'J', 'schemaless-snapshot', 'single-3p'])(
    'kcat | holding-pivot (%s): both exit 0, every message read, nothing on stderr',
    (name) => {
      expect({ status: output(`${name}.status`), lines: output(`${name}.kcat.out`).split('\n').length - 1, stderr: output(`${name}.pivot.err`) }).toEqual({
        status: '0 0\n',
        lines: MESSAGES,
        stderr: '',
      });
    },
  );

  it('--snapshot gives stack/e2e-expected.csv (timestamps masked); without it, the same less the r rows', () => {
    const expected = masked(EXPECTED, [6, 7, 8, 9]);
    expect(masked(csv('plain-snapshot'), [6, 7, 8, 9])).toEqual(expected);
    expect(masked(csv('plain'), [6, 7, 8, 9])).toEqual(withoutR(expected));
  });

  it('kcat -Z and -J give the rows of plain kcat (datetime_inserted aside), with and without --snapshot', () => {
    for (const suffix of ['-snapshot', '']) {
      const plain = masked(csv(`plain${suffix}`), [9]);
      expect(masked(csv(`Z${suffix}`), [9])).toEqual(plain);
      expect(masked(csv(`J${suffix}`), [9])).toEqual(plain);
    }
    expect(masked(csv('plain'), [9])).toEqual(withoutR(masked(csv('plain-snapshot'), [9])));
  });

  // its own connector: datetime_inserted differs, and datetime_updated / _deleted would with --event-time processed
  it('schemas.enable=false gives the same rows (the time columns of the events masked)', () => {
    expect(masked(csv('schemaless-snapshot'), [7, 8, 9])).toEqual(masked(csv('plain-snapshot'), [7, 8, 9]));
  });

  it('3 kcat -G consumers took one partition each, in the group’s first generation', () => {
    const assigned = [1, 2, 3].map((i) => /assigned: .*/.exec(output(`group-${i}.joined.err`))?.[0].match(/\[\d+\]/g)?.join('') ?? '').sort();
    const rebalances = [1, 2, 3].map((i) => output(`group-${i}.joined.err`).split('\n').filter((l) => l.includes('rebalanced')).length);
    expect({ assigned: assigned.join(''), rebalances }).toEqual({ assigned: '[0][1][2]', rebalances: [1, 1, 1] });
  });

  it('together they read every message once, their holding-pivots exited 0, and the rows were spread', () => {
    const lines = [1, 2, 3].map((i) => output(`group-${i}.kcat.out`).split('\n').length - 1);
    expect(lines.reduce((a, b) => a + b)).toBe(MESSAGES);
    expect([1, 2, 3].map((i) => output(`group-${i}.status`))).toEqual(['0\n', '0\n', '0\n']);
    expect([1, 2, 3].filter((i) => csv(`group-${i}`) !== '').length).toBeGreaterThanOrEqual(2);
  });

  it("the union of their rows is the single consumer's (multiset), and the expected rows", () => {
    const union = [1, 2, 3].flatMap((i) => masked(csv(`group-${i}`), [9])).sort();
    expect(union).toEqual(masked(csv('single-3p'), [9]).sort());
    expect(masked(csv('single-3p'), [6, 7, 8, 9]).sort()).toEqual(masked(EXPECTED, [6, 7, 8, 9]).sort());
  });

  it('\\copy loads every row, NULL and "" apart; sql/questions.sql answers for user 3', () => {
    expect(output('loaded.txt').trim()).toBe(String(records(EXPECTED).length));
    // NULL: the 6 delete rows + the stock set to NULL; "": the empty stock of 1005/1006 (c, u, c)
    expect(output('nulls.txt').trim()).toBe('7 3');
    // user 3 (holdings 1002, 1003): stock SP500 -> deleted, VTSAX -> VTI; quantity 1 -> deleted, 100 -> 10.
    // Sold in the period: SP500 twice (deletes of 1001, 1002), once each VTSAX, A,"B and ''.
    expect(Object.fromEntries(parseAnswers(output('questions.out')))).toEqual({
      stock_type_changes: ['2'],
      quantity_changes: ['2'],
      most_sold_stock: ['SP500|2'],
    });
  });
});
