/** Batches for the sync's store tests, and the connection to a scratch database as pg takes it. */
import { Batch } from '../../src/sync/batch.js';
import { SERVER } from './psql.js';

export const TOPIC = 'bankserver1.bank.holding';

/** A libpq URL for the scratch database. */
export const databaseUrl = (database: string): string => `postgres://${SERVER.user}@${SERVER.host}:${SERVER.port}/${database}`;

/** An audit row of a create: the ten columns, then event_id … kafka_offset. */
export function auditRow(id: number, field: string, offset: number): (string | null)[] {
  return [
    String(id), '3', field, null, field === 'holding_stock' ? 'VTSAX' : '100',
    '2026-11-24T09:20:54.539227Z', null, null, '2026-11-24T09:20:55.428Z', 'c',
    `lsn-${id}`, 'bank.holding', String(1000 + id), '770', '2026-11-24T09:20:54.540Z', TOPIC, '0', String(offset),
  ];
}

/**
 * A batch of partition 0 from offset `first`: creates of holdings `firstId`… (two rows each), one
 * per offset, then a rejected message.
 */
export function createsBatch(read: Map<number, number | null>, first: number, creates: number, firstId = first): Batch {
  const batch = new Batch(read, 1000);
  for (let i = 0; i < creates; i++) {
    batch.advance(0, first + i);
    batch.addRows([auditRow(firstId + i, 'holding_stock', first + i), auditRow(firstId + i, 'holding_quantity', first + i)]);
  }
  batch.advance(0, first + creates);
  batch.addReject({ partition: 0, offset: first + creates, reason: 'not JSON', message: Buffer.from([0x7b, 0xff, 0x0a]) });
  return batch;
}
