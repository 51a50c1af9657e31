/**
 * sql/audit_trail.sql and its load, with the CSV of a configuration of two tables (a composite key,
 * a uuid user, numeric, jsonb, timestamptz, a column added later): exact rows, a repeated load,
 * and the questions the indexes are for. Needs a server, as postgres.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, createScratchDatabase, dropScratchDatabase, holdingPivot, probeServer, psql, query, type Target } from './psql.js';

const INPUT = join(ROOT, 'fixtures', 'golden', 'input');
const WITH = 'event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset';
const server = probeServer();
const skip = !server.ok && !/^(1|true)$/i.test(process.env.CI ?? '');

describe.skipIf(skip)('audit_trail: many tables in one table', () => {
  let database = '';
  let target: Target;
  const load = (csv: string): string => psql(target, ['-v', 'table=audit_trail', '-f', join(ROOT, 'sql', 'audit_load.sql')], { input: csv }).match(/INSERT 0 (\d+)/)?.[1] ?? '';

  beforeAll(() => {
    assertBuilt();
    database = createScratchDatabase();
    target = { database };
    psql(target, ['-q', '-f', join(ROOT, 'sql', 'audit_trail.sql')]);
  });
  afterAll(() => {
    if (database !== '') dropScratchDatabase(database);
  });

  it('loads every row once, however often the batch is loaded', () => {
    const csv = holdingPivot(['--config', join(INPUT, 'audit.json'), '--changed-only', '--with', WITH, join(INPUT, 'tables.jsonl')]);
    expect(load(csv)).toBe('12');
    expect(load(csv)).toBe('0');
    expect(
      query(
        target,
        `SELECT format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', source_table, row_key, user_key, change_field, old_value, new_value, datetime_created, datetime_updated, datetime_deleted, op, lsn, tx_id, committed_at)
         FROM audit_trail ORDER BY lsn, change_field`,
      ),
    ).toEqual([
      'bank.holding|1000|1|holding_quantity||10|2021-06-26 21:50:00.000001|||c|26861120|750|2021-06-26 21:50:30.463',
      'bank.holding|1000|1|holding_stock||VFIAX|2021-06-26 21:50:00.000001|||c|26861120|750|2021-06-26 21:50:30.463',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|meta||{"side": "buy"}||||c|30000100|801|2026-03-01 09:30:00.000001',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|price||12.50||||c|30000100|801|2026-03-01 09:30:00.000001',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|traded_at||2026-03-01T09:30:00.000000Z||||c|30000100|801|2026-03-01 09:30:00.000001',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|meta|{"side": "buy"}|{"side": "buy", "tag": "x,y"}||2026-03-01 09:31:00.000002||u|30000200|802|2026-03-01 09:31:00.000002',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|price|12.50|12.75||2026-03-01 09:31:00.000002||u|30000200|802|2026-03-01 09:31:00.000002',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|venue||XNYS||2026-03-01 09:32:00.000003||u|30000300|804|2026-03-01 09:32:00.000003',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|meta|{"side": "buy", "tag": "x,y"}||||2026-03-01 09:33:00.000004|d|30000400|805|2026-03-01 09:33:00.000004',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|price|12.75||||2026-03-01 09:33:00.000004|d|30000400|805|2026-03-01 09:33:00.000004',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|traded_at|2026-03-01T09:30:00.000000Z||||2026-03-01 09:33:00.000004|d|30000400|805|2026-03-01 09:33:00.000004',
      'bank.trade|["7","1"]|6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11|venue|XNYS||||2026-03-01 09:33:00.000004|d|30000400|805|2026-03-01 09:33:00.000004',
    ]);
  });

  it('answers per table, per entity (a part of a composite key) and per user', () => {
    expect(query(target, `SELECT source_table, count(*) FROM audit_trail WHERE op = 'u' GROUP BY 1 ORDER BY 1`)).toEqual(['bank.trade|3']);
    expect(query(target, `SELECT string_agg(new_value::numeric::text, ',' ORDER BY lsn) FROM audit_trail WHERE source_table = 'bank.trade' AND (row_key::jsonb ->> 0)::int = 7 AND change_field = 'price' AND op <> 'd'`)).toEqual(['12.50,12.75']);
    expect(query(target, `SELECT count(DISTINCT event_id) FROM audit_trail WHERE source_table = 'bank.trade' AND user_key = '6f1c2a9e-8d1b-4a53-9b5e-0f7e3c2d4a11'`)).toEqual(['4']);
    expect(query(target, `SELECT (new_value::jsonb) ->> 'tag' FROM audit_trail WHERE change_field = 'meta' AND op = 'u'`)).toEqual(['x,y']);
  });
});
