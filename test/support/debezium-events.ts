/**
 * Builds Debezium PostgreSQL change events for bank.holding as the JsonConverter writes them
 * (Debezium 3.x field order and schema), with or without the schema envelope. Used to write the
 * sample fixtures, by the property tests, and by the benchmark's generator.
 */

export interface Holding {
  holding_id: number;
  user_id: number | null;
  holding_stock: string | null;
  holding_quantity: number | null;
  /** Microseconds since the epoch, as Debezium encodes a PostgreSQL timestamp. */
  datetime_created: number | null;
  datetime_updated: number | null;
}

export type EventOp = 'c' | 'u' | 'd' | 'r';

export interface HoldingChange {
  op: EventOp;
  before: Holding | null;
  after: Holding | null;
  /** When Debezium processed the change (the envelope's ts_ms). */
  tsMs: number;
  txId: number;
  lsn: number;
  snapshot?: 'true' | 'first' | 'last' | 'false';
}

const PREFIX = 'bankserver1';
const VERSION = '3.3.1.Final';

const microTimestamp = (field: string) => ({
  type: 'int64',
  optional: true,
  name: 'io.debezium.time.MicroTimestamp',
  version: 1,
  field,
});

const holdingFields = [
  { type: 'int32', optional: false, field: 'holding_id' },
  { type: 'int32', optional: true, field: 'user_id' },
  { type: 'string', optional: true, field: 'holding_stock' },
  { type: 'int32', optional: true, field: 'holding_quantity' },
  microTimestamp('datetime_created'),
  microTimestamp('datetime_updated'),
];

const image = (field: 'before' | 'after') => ({
  type: 'struct',
  fields: holdingFields,
  optional: true,
  name: `${PREFIX}.bank.holding.Value`,
  field,
});

/** The envelope schema Debezium 3.x writes for bank.holding. */
export const HOLDING_SCHEMA = {
  type: 'struct',
  fields: [
    image('before'),
    image('after'),
    {
      type: 'struct',
      fields: [
        { type: 'string', optional: false, field: 'version' },
        { type: 'string', optional: false, field: 'connector' },
        { type: 'string', optional: false, field: 'name' },
        { type: 'int64', optional: false, field: 'ts_ms' },
        {
          type: 'string',
          optional: true,
          name: 'io.debezium.data.Enum',
          version: 1,
          parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' },
          default: 'false',
          field: 'snapshot',
        },
        { type: 'string', optional: false, field: 'db' },
        { type: 'string', optional: true, field: 'sequence' },
        { type: 'int64', optional: true, field: 'ts_us' },
        { type: 'int64', optional: true, field: 'ts_ns' },
        { type: 'string', optional: false, field: 'schema' },
        { type: 'string', optional: false, field: 'table' },
        { type: 'int64', optional: true, field: 'txId' },
        { type: 'int64', optional: true, field: 'lsn' },
        { type: 'int64', optional: true, field: 'xmin' },
      ],
      optional: false,
      name: 'io.debezium.connector.postgresql.Source',
      version: 1,
      field: 'source',
    },
    {
      type: 'struct',
      fields: [
        { type: 'string', optional: false, field: 'id' },
        { type: 'int64', optional: false, field: 'total_order' },
        { type: 'int64', optional: false, field: 'data_collection_order' },
      ],
      optional: true,
      name: 'event.block',
      version: 1,
      field: 'transaction',
    },
    { type: 'string', optional: false, field: 'op' },
    { type: 'int64', optional: true, field: 'ts_ms' },
    { type: 'int64', optional: true, field: 'ts_us' },
    { type: 'int64', optional: true, field: 'ts_ns' },
  ],
  optional: false,
  name: `${PREFIX}.bank.holding.Envelope`,
  version: 2,
};

/** The payload of a change event, with keys in Debezium's order. */
export function holdingPayload(change: HoldingChange): Record<string, unknown> {
  const commitMs = change.tsMs - 37;
  return {
    before: change.before,
    after: change.after,
    source: {
      version: VERSION,
      connector: 'postgresql',
      name: PREFIX,
      ts_ms: commitMs,
      snapshot: change.snapshot ?? (change.op === 'r' ? 'last' : 'false'),
      db: 'data_engineer',
      sequence: JSON.stringify([String(change.lsn - 48), String(change.lsn)]),
      ts_us: commitMs * 1000,
      ts_ns: `${commitMs}000000`,
      schema: 'bank',
      table: 'holding',
      txId: change.txId,
      lsn: change.lsn,
      xmin: null,
    },
    transaction: null,
    op: change.op,
    ts_ms: change.tsMs,
    ts_us: change.tsMs * 1000 + 123,
    ts_ns: `${change.tsMs}123456`,
  };
}

/**
 * JSON.stringify for message values built here: ts_ns is beyond 2^53, so it is kept as a string
 * of digits in the object and spliced into the JSON as a number.
 */
export const messageJson = (value: unknown): string => JSON.stringify(value).replace(/"ts_ns":"(\d+)"/g, '"ts_ns":$1');

/** One message value as kcat prints it: with the schema envelope, or the bare payload. */
export function holdingEventLine(change: HoldingChange, envelope: boolean): string {
  const payload = holdingPayload(change);
  return messageJson(envelope ? { schema: HOLDING_SCHEMA, payload } : payload);
}

/** A holding row with its timestamps in microseconds. */
export function holding(
  holding_id: number,
  user_id: number | null,
  holding_stock: string | null,
  holding_quantity: number | null,
  createdUs: number,
  updatedUs = createdUs,
): Holding {
  return { holding_id, user_id, holding_stock, holding_quantity, datetime_created: createdUs, datetime_updated: updatedUs };
}

const T0_US = Date.UTC(2021, 5, 26, 21, 50, 0) * 1000 + 1; // 2021-06-26T21:50:00.000001Z

/**
 * The tutorial's walkthrough: one row there before the connector started (a snapshot read), then its
 * SQL script of changes. Deletes are followed by a tombstone (null), as kcat prints them.
 */
export function walkthrough(): (HoldingChange | null)[] {
  const minute = 60_000_000;
  const h1000 = holding(1000, 1, 'VFIAX', 10, T0_US);
  const h1001 = holding(1001, 2, 'SP500', 1, T0_US + minute);
  const h1002 = holding(1002, 3, 'SP500', 1, T0_US + minute + 250_000);
  const h1000b = { ...h1000, holding_quantity: 100 };
  const h1003 = holding(1003, 3, 'VTSAX', 100, T0_US + 5 * minute);
  const h1003b = { ...h1003, holding_quantity: 10 };
  const at = (us: number) => Math.floor(us / 1000) + 500;
  return [
    { op: 'r', before: null, after: h1000, tsMs: at(T0_US + minute / 2), txId: 750, lsn: 26_861_120 },
    { op: 'c', before: null, after: h1001, tsMs: at(T0_US + minute), txId: 751, lsn: 26_861_432 },
    { op: 'c', before: null, after: h1002, tsMs: at(T0_US + minute + 250_000), txId: 752, lsn: 26_861_744 },
    { op: 'u', before: h1000, after: h1000b, tsMs: at(T0_US + 2 * minute), txId: 753, lsn: 26_862_056 },
    { op: 'd', before: h1002, after: null, tsMs: at(T0_US + 3 * minute), txId: 754, lsn: 26_862_368 },
    null,
    { op: 'd', before: h1001, after: null, tsMs: at(T0_US + 4 * minute), txId: 755, lsn: 26_862_680 },
    null,
    { op: 'c', before: null, after: h1003, tsMs: at(T0_US + 5 * minute), txId: 756, lsn: 26_862_992 },
    { op: 'u', before: h1003, after: h1003b, tsMs: at(T0_US + 6 * minute), txId: 757, lsn: 26_863_304 },
  ];
}

/** The walkthrough as kcat prints it by default: one value per line, tombstones as empty lines. */
export function walkthroughText(envelope: boolean): string {
  return walkthrough()
    .map((change) => (change === null ? '' : holdingEventLine(change, envelope)))
    .map((line) => `${line}\n`)
    .join('');
}
