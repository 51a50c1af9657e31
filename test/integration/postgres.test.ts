/**
 * The tool's CSV loaded into a real PostgreSQL server, and the questions of sql/questions.sql asked
 * of it. Needs psql and a server (PGHOST/PGPORT/PGUSER, else postgres@127.0.0.1:5432, no
 * password); without one the suite is skipped, unless CI=true, where that is a failure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_COLUMNS } from '../../src/core/columns.js';
import {
  QUESTIONS,
  ROOT,
  SERVER,
  SESSION_TIME_ZONE,
  ask,
  assertBuilt,
  createScratchDatabase,
  dropScratchDatabase,
  freshTable,
  holdingPivot,
  pipeIntoPsql,
  probeServer,
  psql,
  query,
  runPsql,
  type Target,
} from './psql.js';
import { TYPE_CASES } from './logical-types.js';

const ENVELOPE = join(ROOT, 'fixtures', 'samples', 'walkthrough-envelope.jsonl');
const PLAIN = join(ROOT, 'fixtures', 'samples', 'walkthrough-plain.jsonl');

const server = probeServer();
const inCI = /^(1|true)$/i.test(process.env.CI ?? '');
const skip = !server.ok && !inCI;
if (!server.ok) {
  console.warn(
    `\nPostgreSQL integration test ${inCI ? 'FAILS (CI=true)' : 'SKIPPED'}: ${server.reason}\n` +
      'Start a server (.ci/run installs and starts one) or point PGHOST/PGPORT/PGUSER at one.\n',
  );
}

/** A row of holding_pivot without datetime_inserted, timestamps as ISO UTC with 6 digits. */
type PivotRow = [
  holding_id: number,
  user_id: number | null,
  change_field: string,
  old_value: string | null,
  new_value: string | null,
  datetime_created: string | null,
  datetime_updated: string | null,
  datetime_deleted: string | null,
  op: string,
];

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The table's rows, each value as exactly what is stored: JSON keeps NULL and '' apart. */
function tableRows(target: Target): PivotRow[] {
  const rows = query(
    target,
    `SELECT json_build_array(holding_id, user_id, change_field, old_value, new_value,
       to_char(datetime_created, ${ISO}), to_char(datetime_updated, ${ISO}),
       to_char(datetime_deleted, ${ISO}), op) FROM holding_pivot`,
  ).map((line) => JSON.parse(line) as PivotRow);
  return sortRows(rows);
}

function sortRows(rows: PivotRow[]): PivotRow[] {
  return rows.map((r) => [JSON.stringify(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** Every datetime_inserted, as epoch milliseconds read as UTC. */
function insertedTimes(target: Target): number[] {
  return query(target, `SELECT to_char(datetime_inserted, ${ISO}) FROM holding_pivot`).map((s) => Date.parse(s));
}

/** The names of the questions the file asks, from its \echo headings. */
const questionNames = [...readFileSync(QUESTIONS, 'utf8').matchAll(/^\\echo '\[([a-z_]+)\]/gm)].map((m) => m[1]);

const US = (s: string) => `2021-06-26T${s}Z`;

/**
 * The walkthrough with --snapshot, worked out by hand from the events: 1000 (user 1, VFIAX) read
 * by the snapshot, 1001 (user 2) and 1002 (user 3) created with SP500, 1000's quantity 10 → 100,
 * 1002 and 1001 deleted, 1003 (user 3, VTSAX) created, its quantity 100 → 10.
 */
const WALKTHROUGH: PivotRow[] = [
  [1000, 1, 'holding_stock', null, 'VFIAX', US('21:50:00.000001'), null, null, 'r'],
  [1000, 1, 'holding_quantity', null, '10', US('21:50:00.000001'), null, null, 'r'],
  [1001, 2, 'holding_stock', null, 'SP500', US('21:51:00.000001'), null, null, 'c'],
  [1001, 2, 'holding_quantity', null, '1', US('21:51:00.000001'), null, null, 'c'],
  [1002, 3, 'holding_stock', null, 'SP500', US('21:51:00.250001'), null, null, 'c'],
  [1002, 3, 'holding_quantity', null, '1', US('21:51:00.250001'), null, null, 'c'],
  [1000, 1, 'holding_stock', 'VFIAX', 'VFIAX', null, US('21:52:00.463000'), null, 'u'],
  [1000, 1, 'holding_quantity', '10', '100', null, US('21:52:00.463000'), null, 'u'],
  [1002, 3, 'holding_stock', 'SP500', null, null, null, US('21:53:00.463000'), 'd'],
  [1002, 3, 'holding_quantity', '1', null, null, null, US('21:53:00.463000'), 'd'],
  [1001, 2, 'holding_stock', 'SP500', null, null, null, US('21:54:00.463000'), 'd'],
  [1001, 2, 'holding_quantity', '1', null, null, null, US('21:54:00.463000'), 'd'],
  [1003, 3, 'holding_stock', null, 'VTSAX', US('21:55:00.000001'), null, null, 'c'],
  [1003, 3, 'holding_quantity', null, '100', US('21:55:00.000001'), null, null, 'c'],
  [1003, 3, 'holding_stock', 'VTSAX', 'VTSAX', null, US('21:56:00.463000'), null, 'u'],
  [1003, 3, 'holding_quantity', '100', '10', null, US('21:56:00.463000'), null, 'u'],
];
const WALKTHROUGH_WITHOUT_SNAPSHOT = WALKTHROUGH.filter((r) => r[8] !== 'r');

const DAY = { from: '2021-06-26', to: '2021-06-27' };

/**
 * The answers for the whole day. Stock type: no update changes one; the deletes of 1002 (user 3)
 * and 1001 (user 2) take SP500 away. Quantity: 1000 10 → 100 (user 1); user 3's 1002 deleted and
 * 1003 100 → 10; user 2's 1001 deleted. Sold: SP500, by both deletes.
 */
const DAY_ANSWERS: Record<number, Record<string, string[]>> = {
  1: { stock_type_changes: ['0'], quantity_changes: ['1'], most_sold_stock: ['SP500|2'] },
  2: { stock_type_changes: ['1'], quantity_changes: ['1'], most_sold_stock: ['SP500|2'] },
  3: { stock_type_changes: ['1'], quantity_changes: ['2'], most_sold_stock: ['SP500|2'] },
};

const TITLE = `holding_pivot in PostgreSQL ${server.ok ? server.version : '(no server)'} at ${SERVER.host}:${SERVER.port}`;

// Each psql or holding-pivot run takes a fraction of a second, more on a busy machine.
describe.skipIf(skip)(TITLE, { timeout: 30_000 }, () => {
  let database = '';
  let workDir = '';

  beforeAll(() => {
    if (!server.ok) throw new Error(`CI=true, so this must run, but ${server.reason}`);
    assertBuilt();
    workDir = mkdtempSync(join(tmpdir(), 'holding-pivot-pg-'));
    database = createScratchDatabase();
  }, 30_000);

  afterAll(() => {
    if (database !== '') dropScratchDatabase(database);
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  it(`sessions run in ${SESSION_TIME_ZONE}, not UTC`, () => {
    expect(query({ database }, 'SHOW TimeZone')).toEqual([SESSION_TIME_ZONE]);
  });

  it('questions.sql names every question it asks, and stops when its variables are missing', () => {
    expect(questionNames).toEqual(['stock_type_changes', 'quantity_changes', 'most_sold_stock']);
    const r = runPsql({ database }, ['-A', '-t', '-f', QUESTIONS]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('questions.sql needs -v user_id=… -v from=… -v to=…');
    expect(r.stdout).toBe('');
  });

  describe("\\copy holding_pivot from 'holding_pivot.txt' csv (the walkthrough, --snapshot)", () => {
    let target: Target;
    let startedAt = 0;
    let endedAt = 0;

    beforeAll(() => {
      target = freshTable(database, 'from_file');
      startedAt = Date.now();
      writeFileSync(join(workDir, 'holding_pivot.txt'), holdingPivot(['--snapshot', ENVELOPE]));
      endedAt = Date.now();
      const out = psql(target, ['-c', "\\copy holding_pivot from 'holding_pivot.txt' csv"], { cwd: workDir });
      expect(out).toBe('COPY 16\n');
    }, 30_000);

    it('holds every row as the tool wrote it: NULLs, values and microsecond timestamps', () => {
      expect(tableRows(target)).toEqual(sortRows(WALKTHROUGH));
    });

    it('keeps the microseconds of datetime_created', () => {
      expect(query(target, `SELECT DISTINCT extract(microseconds FROM datetime_created)::int FROM holding_pivot WHERE holding_id = 1002 AND datetime_created IS NOT NULL`)).toEqual([
        '250001',
      ]);
    });

    it('holds datetime_inserted as the UTC time the tool ran, though the session is not UTC', () => {
      const times = insertedTimes(target);
      expect(times).toHaveLength(16);
      for (const t of times) {
        expect(t).toBeGreaterThanOrEqual(startedAt - 1);
        expect(t).toBeLessThanOrEqual(endedAt + 1);
      }
    });

    it.each([1, 2, 3])('answers the questions for user %i over 2021-06-26', (user) => {
      expect(ask(target, { user_id: user, ...DAY })).toEqual(DAY_ANSWERS[user]);
    });

    it.each([
      // Both deletes, committed at 21:53:00.463 and 21:54:00.463 UTC (17:53 and 17:54 in New York).
      ['2021-06-26 21:00', '2021-06-26 22:00', ['SP500|2']],
      // From is inclusive, to exclusive: only 1002's delete at 21:53:00.463 ...
      ['2021-06-26 21:53:00.463', '2021-06-26 21:54:00.463', ['SP500|1']],
      // ... and a microsecond later only 1001's at 21:54:00.463.
      ['2021-06-26 21:53:00.463001', '2021-06-26 21:54:00.463001', ['SP500|1']],
      // The New York times of the deletes hold nothing: no value was shifted by the session's zone.
      ['2021-06-26 17:00', '2021-06-26 18:00', []],
      ['2021-06-27', '2021-06-28', []],
    ])('most_sold_stock from %s to %s', (from, to, expected) => {
      expect(ask(target, { user_id: 1, from, to }).most_sold_stock).toEqual(expected);
    });
  });

  describe('holding-pivot | psql -c "\\copy holding_pivot from stdin csv" (the walkthrough, no --snapshot)', () => {
    let target: Target;

    beforeAll(async () => {
      target = freshTable(database, 'from_stdin');
      const out = await pipeIntoPsql([PLAIN], target, ['-c', '\\copy holding_pivot from stdin csv']);
      expect(out).toBe('COPY 14\n');
    }, 30_000);

    it('holds every row but the snapshot read', () => {
      expect(tableRows(target)).toEqual(sortRows(WALKTHROUGH_WITHOUT_SNAPSHOT));
    });

    it.each([1, 2, 3])('gives user %i the same answers: the snapshot read is not a change', (user) => {
      expect(ask(target, { user_id: user, ...DAY })).toEqual(DAY_ANSWERS[user]);
    });
  });

  describe('holding-pivot --header | psql -c "\\copy holding_pivot from stdin csv header"', () => {
    it('loads the rows and skips the header', async () => {
      const target = freshTable(database, 'with_header');
      const out = await pipeIntoPsql(['--snapshot', '--header', PLAIN], target, ['-c', '\\copy holding_pivot from stdin csv header']);
      expect(out).toBe('COPY 16\n');
      expect(tableRows(target)).toEqual(sortRows(WALKTHROUGH));
    });

    it('is refused by plain csv: the header would be a row', () => {
      const target = freshTable(database, 'header_as_row');
      const csv = holdingPivot(['--snapshot', '--header', PLAIN]);
      const r = runPsql(target, ['-c', '\\copy holding_pivot from stdin csv'], { input: csv });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('invalid input syntax for type integer: "holding_id"');
      expect(query(target, 'SELECT count(*) FROM holding_pivot')).toEqual(['0']);
    });
  });

  describe("the end of COPY's data: a line that is exactly \\. (why such values are rejected)", () => {
    it.each([
      ['LF \\. LF', '\n\\.\n', false],
      ['LF \\. CR LF', '\n\\.\r\n', false],
      ['LF \\. CR', '\n\\.\r', true],
      ['CR \\. CR', '\r\\.\r', true],
      ['LF \\. at the end of the value', '\n\\.', true],
    ])('a quoted value holding %s: loads is %s', (name, inner, loads) => {
      const target = freshTable(database, `end_of_data_${name.replace(/\W+/g, '_').toLowerCase()}`);
      const value = `a${inner}b`;
      const r = runPsql(target, ['-c', '\\copy holding_pivot from stdin csv'], { input: `1,1,f,,"${value}",,,,2021-01-01T00:00:00Z,c\n` });
      expect(r.status === 0, r.stderr).toBe(loads);
      const stored = query(target, "SELECT encode(convert_to(new_value, 'UTF8'), 'hex') FROM holding_pivot");
      expect(stored).toEqual(loads ? [Buffer.from(value).toString('hex')] : []);
    });
  });

  describe('each logical type loads back into a column of its source type as the same value', () => {
    const columns = TYPE_CASES.map((_, i) => `c${i}`);
    const label = (i: number) => `${TYPE_CASES[i]!.pgType} ${TYPE_CASES[i]!.literal} (${JSON.stringify(TYPE_CASES[i]!.schema)})`;
    let target: Target;
    let loaded: string[] = [];
    let expected: string[] = [];

    beforeAll(() => {
      target = freshTable(database, 'logical_types');
      psql(target, ['-q', '-c', 'CREATE EXTENSION IF NOT EXISTS hstore']);
      const typed = (i: number) => `(${TYPE_CASES[i]!.literal})::${TYPE_CASES[i]!.pgType}`;
      const rows = (expression: (i: number) => string) =>
        query(target, TYPE_CASES.map((_, i) => `SELECT ${i}, (${expression(i)})::text`).join(' UNION ALL ') + ' ORDER BY 1').map((r) => r.slice(r.indexOf('|') + 1));
      const encoded = rows((i) => TYPE_CASES[i]!.encode?.replaceAll('$v', typed(i)) ?? 'NULL');
      const json = TYPE_CASES.map((c, i) => c.json ?? encoded[i]!);
      const schema = { type: 'struct', fields: [{ type: 'struct', field: 'after', fields: [{ type: 'int32', field: 'id' }, ...TYPE_CASES.map((c, i) => ({ ...c.schema, optional: true, field: columns[i] }))] }] };
      const line = `{"schema":${JSON.stringify(schema)},"payload":{"op":"c","after":{"id":1,${json.map((j, i) => `"${columns[i]}":${j}`).join(',')}}}}\n`;
      writeFileSync(join(workDir, 'types.txt'), holdingPivot(['--fields', columns.join(','), '--id-field', 'id', '--user-field', 'id', '--created-field', ''], line));
      expect(psql(target, ['-c', "\\copy holding_pivot from 'types.txt' csv"], { cwd: workDir })).toBe(`COPY ${TYPE_CASES.length}\n`);
      const compared = (i: number, value: string) => TYPE_CASES[i]!.compare?.replaceAll('$v', value) ?? value;
      expected = rows((i) => compared(i, typed(i))).map((text, i) => `${label(i)} → ${text}`);
      const pivoted = (i: number) => `(SELECT new_value FROM holding_pivot WHERE change_field = '${columns[i]}')::${TYPE_CASES[i]!.pgType}`;
      loaded = rows((i) => compared(i, pivoted(i))).map((text, i) => `${label(i)} → ${text}`);
    }, 30_000);

    it('as PostgreSQL prints it', () => {
      expect(loaded).toEqual(expected);
    });
  });

  describe('values that CSV must quote, the empty string and NULL', () => {
    const image = (id: number, user: number | null, stock: string | null, quantity: number | null, created: number | null) => ({
      holding_id: id,
      user_id: user,
      holding_stock: stock,
      holding_quantity: quantity,
      datetime_created: created,
      datetime_updated: created,
    });
    const event = (op: string, before: object | null, after: object | null, tsMs: number) =>
      JSON.stringify({ before, after, source: { connector: 'postgresql', schema: 'bank', table: 'holding' }, op, ts_ms: tsMs });

    const TRICKY = 'Fund, "A"';
    // Microseconds since the epoch: 2021-03-14 02:30 UTC does not exist in New York (DST starts),
    // and the other two sit a microsecond either side of the epoch.
    const DST_GAP = 1_615_689_000_000_001;
    const BEFORE_EPOCH = -1;
    const AFTER_EPOCH = 999_999;
    const lines = [
      event('c', null, image(2000, 7, TRICKY, 5, DST_GAP), 1_624_874_400_000),
      event('c', null, image(2001, 7, '', null, BEFORE_EPOCH), 1_624_874_400_000),
      event('c', null, image(2002, 7, null, 1, AFTER_EPOCH), 1_624_874_400_000),
      event('c', null, image(2003, null, ' pad\rded ', null, null), 1_624_874_400_000),
      event('u', image(2001, 7, '', null, BEFORE_EPOCH), image(2001, 7, 'two\nlines', 0, BEFORE_EPOCH), 1_624_874_460_123),
      event('u', image(2002, 7, null, 1, AFTER_EPOCH), image(2002, 7, '', 1, AFTER_EPOCH), 1_624_874_520_999),
      event('d', image(2000, 7, TRICKY, 5, DST_GAP), null, 1_624_874_580_001),
      '',
    ];
    const EXPECTED: PivotRow[] = [
      [2000, 7, 'holding_stock', null, TRICKY, '2021-03-14T02:30:00.000001Z', null, null, 'c'],
      [2000, 7, 'holding_quantity', null, '5', '2021-03-14T02:30:00.000001Z', null, null, 'c'],
      [2001, 7, 'holding_stock', null, '', '1969-12-31T23:59:59.999999Z', null, null, 'c'],
      [2001, 7, 'holding_quantity', null, null, '1969-12-31T23:59:59.999999Z', null, null, 'c'],
      [2002, 7, 'holding_stock', null, null, '1970-01-01T00:00:00.999999Z', null, null, 'c'],
      [2002, 7, 'holding_quantity', null, '1', '1970-01-01T00:00:00.999999Z', null, null, 'c'],
      [2003, null, 'holding_stock', null, ' pad\rded ', null, null, null, 'c'],
      [2003, null, 'holding_quantity', null, null, null, null, null, 'c'],
      [2001, 7, 'holding_stock', '', 'two\nlines', null, '2021-06-28T10:01:00.123000Z', null, 'u'],
      [2001, 7, 'holding_quantity', null, '0', null, '2021-06-28T10:01:00.123000Z', null, 'u'],
      [2002, 7, 'holding_stock', null, '', null, '2021-06-28T10:02:00.999000Z', null, 'u'],
      [2002, 7, 'holding_quantity', '1', '1', null, '2021-06-28T10:02:00.999000Z', null, 'u'],
      [2000, 7, 'holding_stock', TRICKY, null, null, null, '2021-06-28T10:03:00.001000Z', 'd'],
      [2000, 7, 'holding_quantity', '5', null, null, null, '2021-06-28T10:03:00.001000Z', 'd'],
    ];
    let target: Target;

    beforeAll(() => {
      target = freshTable(database, 'tricky');
      writeFileSync(join(workDir, 'holding_pivot.txt'), holdingPivot([], `${lines.join('\n')}\n`));
      expect(psql(target, ['-c', "\\copy holding_pivot from 'holding_pivot.txt' csv"], { cwd: workDir })).toBe('COPY 14\n');
    }, 30_000);

    it('arrive as written: quotes, commas, a newline, a lone carriage return, spaces, NULL apart from empty, every microsecond', () => {
      expect(tableRows(target)).toEqual(sortRows(EXPECTED));
    });

    it("are NULL and '' in SQL's own terms", () => {
      const counts = (column: string) =>
        query(
          target,
          `SELECT count(*) FILTER (WHERE ${column} IS NULL) || ' null, ' || count(*) FILTER (WHERE ${column} = '') || ' empty'
           FROM holding_pivot WHERE change_field = 'holding_stock'`,
        );
      expect(counts('old_value')).toEqual(['5 null, 1 empty']);
      expect(counts('new_value')).toEqual(['2 null, 2 empty']);
      expect(query(target, 'SELECT count(*) FROM holding_pivot WHERE user_id IS NULL')).toEqual(['2']);
    });

    it('count NULL ↔ empty string as a change, and list equally sold stocks together', () => {
      // Stock: 2001 '' → 'two\nlines', 2002 NULL → '', 2000 deleted. Quantity: 2001 NULL → 0,
      // 2000 deleted (2002 1 → 1 is not a change). Sold: '' (2001) and TRICKY (2000), once each.
      expect(ask(target, { user_id: 7, from: '2021-06-28', to: '2021-06-29' })).toEqual({
        stock_type_changes: ['3'],
        quantity_changes: ['2'],
        most_sold_stock: ['|1', `${TRICKY}|1`],
      });
    });
  });

  describe('holding_pivot_audit: a change loaded again, in any batch or copy, is one change', () => {
    const WITH = ['--snapshot', '--with', IDENTITY_COLUMNS.join(',')];
    const capture = readFileSync(join(ROOT, 'fixtures', 'recorded', 'holding.kcat-J.txt'), 'utf8').trimEnd().split('\n');
    const csvOf = (lines: readonly string[]) => holdingPivot([...WITH, '-'], `${lines.join('\n')}\n`);
    const ONCE = capture.length;

    /** Debezium's copy of a kcat -J message after a restart: a later offset, a later envelope ts_ms, the same source block. */
    const redelivered = (line: string): string => {
      const message = JSON.parse(line) as { offset: number; payload: string | null };
      const later = (value: string) => value.replace(/("op":"[cudr]","ts_ms":)(\d+)/, (_, key: string, ms: string) => `${key}${Number(ms) + 95_000}`);
      const payload = message.payload === null ? null : later(message.payload);
      expect(payload === null || payload !== message.payload).toBe(true);
      return JSON.stringify({ ...message, offset: message.offset + ONCE, payload });
    };

    function freshAudit(schema: string): Target {
      psql({ database }, ['-q', '-c', `CREATE SCHEMA ${schema}`]);
      const target = { database, schema };
      psql(target, ['-q', '-f', join(ROOT, 'sql', 'holding_pivot_audit.sql')]);
      return target;
    }

    /** Loads CSV with sql/audit_load.sql; returns how many rows were new. */
    function load(target: Target, csv: string): number {
      const out = psql(target, ['-f', join(ROOT, 'sql', 'audit_load.sql')], { input: csv });
      const inserted = /^INSERT 0 (\d+)$/m.exec(out);
      if (!inserted) throw new Error(`no INSERT in:\n${out}`);
      return Number(inserted[1]);
    }

    /** Every row, every column as stored, datetime_inserted too, in one order. */
    const auditRows = (target: Target): string[] =>
      query(
        target,
        `SELECT json_build_array(holding_id, user_id, change_field, old_value, new_value, to_char(datetime_created, ${ISO}),
           to_char(datetime_updated, ${ISO}), to_char(datetime_deleted, ${ISO}), to_char(datetime_inserted, ${ISO}), op, event_id,
           source_table, lsn, tx_id, to_char(committed_at, ${ISO}), kafka_topic, kafka_partition, kafka_offset)
         FROM holding_pivot_audit ORDER BY event_id, change_field`,
      );
    /** The same without datetime_inserted, which says when a row was loaded, not what it holds. */
    const withoutInserted = (rows: string[]) => rows.map((row) => JSON.stringify((JSON.parse(row) as unknown[]).filter((_, i) => i !== 8)));

    let once: Target;
    let onceRows: string[] = [];

    beforeAll(() => {
      once = freshAudit('audit_once');
      expect(load(once, csvOf(capture))).toBe(30);
      onceRows = auditRows(once);
    }, 30_000);

    it('holds each change of the real capture once, with its identity, its commit time and its Kafka position', () => {
      expect(onceRows).toHaveLength(30);
      expect(query(once, 'SELECT count(DISTINCT event_id), count(DISTINCT kafka_offset), min(lsn), max(tx_id) FROM holding_pivot_audit')).toEqual([
        '15|15|26506632|748',
      ]);
      // The delete and the create of the primary-key update 1005 → 1006: one LSN, two changes.
      expect(
        query(
          once,
          `SELECT DISTINCT holding_id || ' ' || op || ' ' || to_char(committed_at, ${ISO}) || ' ' || kafka_offset
           FROM holding_pivot_audit WHERE lsn = 26511048 ORDER BY 1`,
        ),
      ).toEqual(['1005 d 2026-11-24T09:11:32.364122Z 15', '1006 c 2026-11-24T09:11:32.364122Z 17']);
    });

    it('is unchanged by loading the same file again, datetime_inserted included', () => {
      expect(load(once, csvOf(capture))).toBe(0);
      expect(auditRows(once)).toEqual(onceRows);
    });

    it('holds the same after overlapping batches, one of them holding a change and its redelivered copy', () => {
      const target = freshAudit('audit_batches');
      const first = [...capture.slice(0, 10), ...capture.slice(6, 10).map(redelivered)];
      // Offsets 0–9 hold 8 events (5 and 7 are tombstones), 16 rows; 5–17 add the other 7.
      expect(load(target, csvOf(first))).toBe(16);
      expect(load(target, csvOf(capture.slice(5)))).toBe(14);
      expect(withoutInserted(auditRows(target))).toEqual(withoutInserted(onceRows));
    });

    it('is unchanged by Debezium’s redelivered copies (other offsets and ts_ms) and by the same changes without Kafka coordinates', () => {
      const copies = capture.slice(8).map(redelivered);
      expect(load(once, csvOf(copies))).toBe(0);
      const plain = readFileSync(join(ROOT, 'fixtures', 'recorded', 'holding.kcat.txt'), 'utf8');
      expect(load(once, holdingPivot([...WITH, '-'], plain))).toBe(0);
      expect(auditRows(once)).toEqual(onceRows);
    });

    it('has the ten columns of holding_pivot first, as they are there', () => {
      const columns = (table: string) =>
        query(
          once,
          `SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns
           WHERE table_schema = 'audit_once' AND table_name = '${table}' ORDER BY ordinal_position`,
        );
      expect(columns('holding_pivot_audit').slice(0, 10)).toEqual(columns('holding_pivot'));
      expect(columns('holding_pivot')).toHaveLength(10);
    });

    it.each([1, 2, 3, 4, 5])('answers the questions for user %i as holding_pivot does with each change loaded once', (user) => {
      const pivot = freshTable(database, `pivot_for_user_${user}`);
      psql(pivot, ['-c', '\\copy holding_pivot from stdin csv'], { input: holdingPivot(['--snapshot', '-'], `${capture.join('\n')}\n`) });
      const day = { user_id: user, from: '2026-11-24', to: '2026-11-25' };
      const answers = ask(pivot, day);
      expect(ask(once, { ...day, table: 'holding_pivot_audit' })).toEqual(answers);
      if (user === 3) expect(answers).toEqual({ stock_type_changes: ['2'], quantity_changes: ['2'], most_sold_stock: ['SP500|2'] });
    });
  });
});
