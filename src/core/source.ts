/** Readings of Debezium's `source` block: which table a change is of, where it is in the WAL, when it was committed. */
import type { Cell } from './columns.js';
import type { ChangeEvent, Source } from './event.js';
import type { EventTimeMode } from './options.js';
import { integerDigits, microsCell, millisCell, type ValueContext } from './values.js';

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** `schema.table`, or null when the source block does not name both. */
export function sourceTable(source: Source | null | undefined): string | null {
  if (!source || !source.schema || !source.table) return null;
  return `${source.schema}.${source.table}`;
}

/**
 * An integer of the source block (an LSN, a transaction id) as decimal text: null when it is
 * absent, undefined when it is not an integer.
 */
export function integerText(value: unknown): string | null | undefined {
  return value === undefined || value === null ? null : integerDigits(value);
}

/**
 * When the change was committed in PostgreSQL: source.ts_us (Debezium 2.6+) to the microsecond,
 * else source.ts_ms; `--timestamps epoch` writes source.ts_ms, so an epoch column keeps one unit.
 * Null for a snapshot read, whose source time is when the snapshot read the row, not a commit,
 * and for an event without a source time.
 */
export function commitTime(event: ChangeEvent, values: ValueContext): Cell {
  const { source } = event;
  if (event.op === 'r' || !source) return null;
  if (values.timestamps === 'iso' && present(source.ts_us)) return microsCell(source.ts_us, 'source.ts_us', values);
  return present(source.ts_ms) ? millisCell(source.ts_ms, 'source.ts_ms', values) : null;
}

/** The time an update or a delete is stamped with (datetime_updated, datetime_deleted). */
export function eventTime(event: ChangeEvent, mode: EventTimeMode, values: ValueContext): Cell {
  if (mode === 'commit') {
    const committed = commitTime(event, values);
    if (committed !== null) return committed;
    values.warnings.push({
      code: 'commit-time-missing',
      subject: 'source.ts_ms',
      message:
        'the event has no commit time (source.ts_us, source.ts_ms): its datetime_updated or datetime_deleted is when the connector processed it (ts_ms)',
    });
  }
  return present(event.ts_ms) ? millisCell(event.ts_ms, 'ts_ms', values) : null;
}
