import { createHash } from 'node:crypto';
import type { Cell, IdentityColumn, Row } from './columns.js';
import type { ChangeEvent } from './event.js';
import type { PivotOptions } from './options.js';
import type { PivotResult } from './pivot.js';
import { commitTime, integerText, sourceTable } from './source.js';
import type { ValueContext } from './values.js';

/** The Kafka message a kcat -J line printed. */
export interface KafkaPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** The event_id's parts, or why the event has none. */
function eventIdParts(event: ChangeEvent, key: Cell): string[] | string {
  const source = event.source;
  if (event.flattened && !(source?.db && source.schema && source.table && source.lsn !== undefined && source.lsn !== null)) {
    return 'event_id needs the change\'s database, schema, table and LSN: add db,schema,table,lsn to the ExtractNewRecordState transform\'s add.fields';
  }
  if (!source) return 'no "source": event_id needs the change\'s database, table and LSN';
  const { db, schema, table } = source;
  if (!db || !schema || !table) return 'no "source.db", "source.schema" or "source.table": event_id needs them';
  const lsn = integerText(source.lsn);
  if (lsn === null) return 'no "source.lsn": event_id needs the change\'s position in the WAL';
  if (lsn === undefined) return `"source.lsn" is not an integer`;
  if (key === null) return 'no key: event_id needs the --id-field of the row';
  return [db, schema, table, lsn, event.op, key];
}

/**
 * The identity of a source change: the same every time Debezium delivers it, whatever the wire
 * form, the Kafka offset or the envelope's ts_ms, and different for any two changes. A WAL record
 * (its LSN) holds the changes of one transaction, but may hold several rows (a multi-row insert),
 * and the delete and the create of a primary-key update share it: the row's key and the op tell
 * those apart. The README ("Choices") gives the whole argument and its limits.
 * The text is the first 128 bits of the SHA-256 of the parts' JSON array, in hex: JSON encodes
 * a list of strings unambiguously, and the width stays fixed whatever the key.
 */
function eventId(event: ChangeEvent, key: Cell): string | { readonly reason: string } {
  const parts = eventIdParts(event, key);
  if (typeof parts === 'string') return { reason: parts };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function cell(
  column: IdentityColumn,
  event: ChangeEvent,
  position: KafkaPosition | undefined,
  id: string | null,
  values: ValueContext,
): Cell {
  switch (column) {
    case 'event_id':
      return id;
    case 'source_table':
      return sourceTable(event.source);
    case 'lsn':
      return integerText(event.source?.lsn) ?? null;
    case 'tx_id':
      return integerText(event.source?.txId) ?? null;
    case 'committed_at':
      return commitTime(event, values);
    case 'kafka_topic':
      return position ? position.topic : null;
    case 'kafka_partition':
      return position ? String(position.partition) : null;
    case 'kafka_offset':
      return position ? String(position.offset) : null;
  }
}

/**
 * The `--with` columns of a pivoted event's rows, the same for each of its rows; the reason when
 * an event_id is asked for but cannot be made, which rejects the event: a row without one would
 * defeat the unique key it is for.
 */
export function identityCells(
  result: Extract<PivotResult, { kind: 'rows' }>,
  event: ChangeEvent,
  position: KafkaPosition | undefined,
  options: PivotOptions,
): Cell[] | { readonly reason: string } {
  const values: ValueContext = { timestamps: options.timestamps, warnings: result.warnings };
  let id: string | null = null;
  if (options.with.includes('event_id')) {
    // Every row holds the key in holding_id, decoded from after (c, r, u) or before (d).
    const made = eventId(event, (result.rows[0] as Row)[0]);
    if (typeof made !== 'string') return made;
    id = made;
  }
  return options.with.map((column) => cell(column, event, position, id, values));
}
