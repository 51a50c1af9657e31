import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDENTITY_COLUMNS, type IdentityColumn } from '../../src/core/columns.js';
import type { LineOutcome } from '../../src/core/line-decoder.js';
import {
  HOLDING_SCHEMA,
  holding,
  holdingEventLine,
  holdingPayload,
  messageJson,
  type Holding,
  type HoldingChange,
} from '../support/debezium-events.js';
import { decoder, INSERTED, rowsOf } from '../support/pivot-helpers.js';

const recorded = (name: string) => readFileSync(new URL(`../../fixtures/recorded/${name}`, import.meta.url), 'utf8').trimEnd().split('\n');

const TOPIC = 'bankserver1.bank.holding';

/** A message value as kcat -J prints it. */
const kcatJ = (value: string | null, offset: number, partition = 0) =>
  JSON.stringify({ topic: TOPIC, partition, offset, tstype: 'create', ts: 1, broker: 1, key: null, payload: value });

/** The same change as Debezium sends it again after a restart: the same source block, a later envelope ts_ms. */
function redelivered(change: HoldingChange, laterMs: number, envelope: boolean): string {
  const payload = { ...holdingPayload(change), ts_ms: laterMs, ts_us: laterMs * 1000, ts_ns: `${laterMs}000000` };
  return messageJson(envelope ? { schema: HOLDING_SCHEMA, payload } : payload);
}

/** What a decoder with these --with columns (and --snapshot) makes of a line. */
const decodeWith = (line: string, columns: readonly IdentityColumn[], idField?: string): LineOutcome =>
  decoder({ snapshot: true, with: columns, ...(idField === undefined ? {} : { idField }) }).decode(line, INSERTED);

/** The one event_id of all the rows of a line. */
function idOf(line: string): string {
  const outcome = decodeWith(line, ['event_id']);
  if (outcome.kind !== 'rows') throw new Error(`no rows: ${JSON.stringify(outcome)}`);
  const ids = new Set(outcome.rows.map((row) => row[10]));
  expect(ids.size).toBe(1);
  return [...ids][0] as string;
}

const H1 = holding(1000, 1, 'VFIAX', 10, 1_624_744_200_000_001);
const H2 = holding(1001, 2, 'SP500', 1, 1_624_744_260_000_001);
const UPDATE: HoldingChange = { op: 'u', before: H1, after: { ...H1, holding_quantity: 100 }, tsMs: 1_624_744_320_500, txId: 753, lsn: 26_862_056 };

describe('event_id: the same change, however it is delivered', () => {
  it('is the same through the envelope, the bare payload, kcat -J, another offset or partition, another envelope ts_ms', () => {
    const lines = [
      holdingEventLine(UPDATE, true),
      holdingEventLine(UPDATE, false),
      kcatJ(holdingEventLine(UPDATE, true), 3),
      kcatJ(holdingEventLine(UPDATE, false), 41, 2),
      redelivered(UPDATE, UPDATE.tsMs + 3_600_000, true),
      kcatJ(redelivered(UPDATE, UPDATE.tsMs + 60_000, false), 1_000_007),
    ];
    const ids = lines.map(idOf);
    expect(new Set(ids)).toEqual(new Set([ids[0]]));
  });

  it('is the first 128 bits of the SHA-256 of [db, schema, table, lsn, op, key] as JSON, in hex: ids already stored stay valid', () => {
    const parts = ['data_engineer', 'bank', 'holding', '26862056', 'u', '1000'];
    const expected = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
    expect(idOf(holdingEventLine(UPDATE, true))).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is the same for the streamed changes of a real capture through two connectors, one without schemas', () => {
    // Their envelope ts_ms differ; each connector took its own snapshot, at its own LSN.
    const ids = (name: string) => recorded(name).flatMap((line) => (line === '' ? [] : [idOf(line)]));
    const enveloped = ids('holding.kcat.txt');
    const schemaless = ids('holding-schemaless.kcat.txt');
    expect(enveloped).toHaveLength(15);
    expect(schemaless.slice(1)).toEqual(enveloped.slice(1));
    expect(schemaless[0]).not.toBe(enveloped[0]);
    expect(new Set(enveloped).size).toBe(15);
    expect(recorded('holding.kcat-J.txt').flatMap((line) => (line.includes('"payload":null') ? [] : [idOf(line)]))).toEqual(enveloped);
  });

  it('reads an LSN beyond 2^53 digit for digit', () => {
    const line = holdingEventLine({ ...UPDATE, lsn: 1 }, false).replace('"lsn":1,', '"lsn":9007199254740993,');
    const outcome = decodeWith(line, ['event_id', 'lsn']);
    const parts = ['data_engineer', 'bank', 'holding', '9007199254740993', 'u', '1000'];
    const expected = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
    expect(outcome.kind === 'rows' && outcome.rows.map((row) => row.slice(10))).toEqual([
      [expected, '9007199254740993'],
      [expected, '9007199254740993'],
    ]);
  });
});

describe('event_id: two changes never share one', () => {
  it('tells apart the delete and the create of a primary-key update, which share their LSN (real capture)', () => {
    const events = recorded('holding.kcat.txt').filter((line) => line.includes('"lsn":26511048,'));
    expect(events.map((line) => (JSON.parse(line) as { payload: { op: string } }).payload.op)).toEqual(['d', 'c']);
    expect(new Set(events.map(idOf)).size).toBe(2);
  });

  it('tells apart the delete and the create of a primary-key update when --id-field is not the key', () => {
    const before = { ...H2 };
    const after = { ...H2, holding_id: 1002 };
    const lines = [
      holdingEventLine({ op: 'd', before, after: null, tsMs: 1, txId: 760, lsn: 26_900_000 }, true),
      holdingEventLine({ op: 'c', before: null, after, tsMs: 1, txId: 760, lsn: 26_900_000 }, true),
    ];
    const ids = lines.map((line) => {
      const outcome = decodeWith(line, ['event_id'], 'user_id');
      return outcome.kind === 'rows' ? outcome.rows[0]?.[10] : outcome.kind;
    });
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('tells apart the rows of one statement, even when they share an LSN (a multi-row insert, COPY)', () => {
    const rows: Holding[] = [H1, H2, holding(1002, 3, 'SP500', 1, 1)];
    const sameRecord = rows.map((after) => holdingEventLine({ op: 'c', before: null, after, tsMs: 1, txId: 770, lsn: 27_000_000 }, true));
    const ownRecords = rows.map((after, i) => holdingEventLine({ op: 'c', before: null, after, tsMs: 1, txId: 770, lsn: 27_000_000 + 64 * i }, true));
    const ids = [...sameRecord, ...ownRecords].map(idOf);
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
    expect(new Set(ids.slice(3)).size).toBe(3);
  });

  it('tells apart two changes of one row in one transaction', () => {
    const first: HoldingChange = { ...UPDATE, txId: 780 };
    const second: HoldingChange = { ...first, before: first.after, after: { ...H1, holding_quantity: 7 }, lsn: first.lsn + 88 };
    expect(idOf(holdingEventLine(first, true))).not.toBe(idOf(holdingEventLine(second, true)));
  });

  it('tells apart the rows of a snapshot, which all carry the snapshot’s LSN and transaction', () => {
    const reads = [H1, H2].map((after) => holdingEventLine({ op: 'r', before: null, after, tsMs: 1, txId: 750, lsn: 26_861_120 }, true));
    const [a, b] = reads.map(idOf);
    expect(a).not.toBe(b);
    // A later change of a row read by the snapshot is another change.
    expect(idOf(holdingEventLine({ ...UPDATE, lsn: 26_861_120 + 800 }, true))).not.toBe(a);
  });

  it('depends on exactly the table, the LSN, the op and the key', () => {
    const changeArb = fc.record({
      table: fc.constantFrom('holding', 'holding_archive'),
      lsn: fc.constantFrom(26_000_000, 26_000_064),
      op: fc.constantFrom('c', 'u', 'd', 'r'),
      key: fc.constantFrom(1, 2),
      txId: fc.constantFrom(5, 6),
      tsMs: fc.integer({ min: 1e12, max: 2e12 }),
      quantity: fc.integer(),
    });
    type Change = typeof changeArb extends fc.Arbitrary<infer T> ? T : never;
    const line = (c: Change) => {
      const image = holding(c.key, 1, 'VFIAX', c.quantity, 1);
      const change: HoldingChange = {
        op: c.op as HoldingChange['op'],
        before: c.op === 'c' || c.op === 'r' ? null : image,
        after: c.op === 'd' ? null : image,
        tsMs: c.tsMs,
        txId: c.txId,
        lsn: c.lsn,
      };
      const payload = holdingPayload(change);
      return messageJson({ ...payload, source: { ...(payload['source'] as object), table: c.table } });
    };
    fc.assert(
      fc.property(changeArb, changeArb, (a, b) => {
        const same = a.table === b.table && a.lsn === b.lsn && a.op === b.op && a.key === b.key;
        expect(idOf(line(a)) === idOf(line(b))).toBe(same);
      }),
    );
  });
});

describe('events without what event_id needs are rejected, never written without one', () => {
  const plain = holdingPayload(UPDATE);
  const withSource = (source: unknown) => messageJson({ ...plain, source });
  const sourceOf = plain['source'] as Record<string, unknown>;

  it.each([
    ['no source', withSource(null), 'no "source": event_id needs the change\'s database, table and LSN'],
    ['no LSN', withSource({ ...sourceOf, lsn: null }), 'no "source.lsn": event_id needs the change\'s position in the WAL'],
    ['no table', withSource({ ...sourceOf, table: undefined }), 'no "source.db", "source.schema" or "source.table": event_id needs them'],
    ['no database', withSource({ ...sourceOf, db: '' }), 'no "source.db", "source.schema" or "source.table": event_id needs them'],
  ])('%s', (_, line, reason) => {
    expect(rowsOf(decodeWith(line, ['event_id']))).toBe(`rejected: ${reason}`);
  });

  it('no key: the --id-field is not in the row', () => {
    expect(rowsOf(decodeWith(holdingEventLine(UPDATE, true), ['event_id'], 'account_id'))).toBe(
      'rejected: the id column "account_id" is not in "after" (its columns: "holding_id", "user_id", "holding_stock", "holding_quantity", "datetime_created", "datetime_updated"); check --id-field',
    );
  });

  it('an LSN that is not an integer is no Debezium event, whatever the columns', () => {
    expect(rowsOf(decoder().decode(withSource({ ...sourceOf, lsn: '26862056' }), INSERTED))).toBe('rejected: "source.lsn": expected an integer');
    expect(rowsOf(decoder().decode(withSource({ ...sourceOf, lsn: 2.5 }), INSERTED))).toBe('rejected: "source.lsn": expected an integer');
  });

  it('without event_id, the other columns are NULL where the event has nothing for them', () => {
    const outcome = decodeWith(withSource(null), ['source_table', 'lsn', 'tx_id', 'committed_at', 'kafka_offset']);
    expect(outcome.kind === 'rows' && outcome.rows.map((row) => row.slice(10))).toEqual([
      [null, null, null, null, null],
      [null, null, null, null, null],
    ]);
  });
});

describe('the --with columns', () => {
  const ALL = [...IDENTITY_COLUMNS];
  const ID = idOf(holdingEventLine(UPDATE, true));
  const COMMITTED = '2021-06-26T21:52:00.463000Z';

  it('follow the ten, in the order given, the same on every row of the event', () => {
    const outcome = decodeWith(kcatJ(holdingEventLine(UPDATE, true), 9, 1), ALL);
    const extra = [ID, 'bank.holding', '26862056', '753', COMMITTED, TOPIC, '1', '9'];
    expect(rowsOf(outcome)).toEqual([
      ['1000', '1', 'holding_stock', 'VFIAX', 'VFIAX', null, COMMITTED, null, INSERTED, 'u', ...extra],
      ['1000', '1', 'holding_quantity', '10', '100', null, COMMITTED, null, INSERTED, 'u', ...extra],
    ]);
    const reordered = decodeWith(kcatJ(holdingEventLine(UPDATE, false), 9, 1), ['kafka_offset', 'event_id']);
    expect(reordered.kind === 'rows' && reordered.rows[0]?.slice(10)).toEqual(['9', ID]);
  });

  it('leave the Kafka columns NULL for the forms without Kafka coordinates', () => {
    for (const line of [holdingEventLine(UPDATE, true), holdingEventLine(UPDATE, false)]) {
      const outcome = decodeWith(line, ['kafka_topic', 'kafka_partition', 'kafka_offset', 'event_id']);
      expect(outcome.kind === 'rows' && outcome.rows[1]?.slice(10)).toEqual([null, null, null, ID]);
    }
  });

  it('are not there by default', () => {
    const outcome = decoder().decode(holdingEventLine(UPDATE, true), INSERTED);
    expect(outcome.kind === 'rows' && outcome.rows.map((row) => row.length)).toEqual([10, 10]);
  });
});

describe('every outcome of a kcat -J line says which Kafka message it was', () => {
  const at = (offset: number) => ({ topic: TOPIC, partition: 0, offset });
  const withoutSnapshot = decoder();

  it.each([
    ['rows', kcatJ(holdingEventLine(UPDATE, true), 5)],
    ['tombstone', kcatJ(null, 6)],
    ['skipped', kcatJ(holdingEventLine({ ...UPDATE, op: 'r', before: null }, true), 7)],
    ['skipped', kcatJ('{"status":"BEGIN","id":"571:53195829","ts_ms":1,"event_count":null,"data_collections":null}', 8)],
    ['rejected', kcatJ('{"op":"u"}', 9)],
    ['rejected', kcatJ('not json', 10)],
  ])('%s', (kind, line) => {
    const outcome = withoutSnapshot.decode(line, INSERTED);
    expect(outcome.kind).toBe(kind);
    expect(outcome.position).toEqual(at((JSON.parse(line) as { offset: number }).offset));
  });

  it('but for a line whose offset is not an exact integer, which is rejected', () => {
    const line = kcatJ(holdingEventLine(UPDATE, true), 1).replace('"offset":1,', '"offset":9007199254740993,');
    expect(rowsOf(withoutSnapshot.decode(line, INSERTED))).toBe(
      'rejected: kcat -J "partition" and "offset" must be exact integers (topic bankserver1.bank.holding, partition 0, offset 9007199254740992)',
    );
  });

  it('and no other form has a position', () => {
    expect(withoutSnapshot.decode(holdingEventLine(UPDATE, true), INSERTED).position).toBeUndefined();
    expect(withoutSnapshot.decode('', INSERTED).position).toBeUndefined();
  });
});
