import type { IdentityColumn } from './columns.js';
import type { TableSpec } from './tables.js';

/** How timestamps are written: ISO 8601 UTC text, or the raw epoch numbers found in the event. */
export const TIMESTAMP_MODES = ['iso', 'epoch'] as const;
export type TimestampMode = (typeof TIMESTAMP_MODES)[number];

/**
 * What datetime_updated and datetime_deleted say: when the change was committed in PostgreSQL
 * (the source block's ts_us or ts_ms), or when the connector processed it (the event's ts_ms).
 */
export const EVENT_TIME_MODES = ['commit', 'processed'] as const;
export type EventTimeMode = (typeof EVENT_TIME_MODES)[number];

/** Everything the pure core needs to know to pivot an event. */
export interface PivotOptions {
  /** Columns tracked field by field: one output row per field per event; ['*'] for every column. */
  readonly fields: readonly string[];
  readonly idField: string;
  /** The column user_id comes from; '' for a table that has none. */
  readonly userField: string;
  /** The column datetime_created comes from; '' for a table that has none. */
  readonly createdField: string;
  /** Pivot snapshot reads (`op` "r") like creates instead of skipping them. */
  readonly snapshot: boolean;
  /** Drop update rows whose field did not change. */
  readonly changedOnly: boolean;
  readonly timestamps: TimestampMode;
  readonly eventTime: EventTimeMode;
  /** Columns appended after the ten, in this order. */
  readonly with: readonly IdentityColumn[];
  /**
   * The tables to pivot, by `schema.table`, each with its own columns (--config, --table): the
   * events of other tables are skipped, and the rows start with the table (GENERIC_COLUMNS).
   * Null: every event is pivoted with the four options above, in COLUMNS.
   */
  readonly tables: ReadonlyMap<string, TableSpec> | null;
}

export const DEFAULT_OPTIONS: PivotOptions = {
  fields: ['holding_stock', 'holding_quantity'],
  idField: 'holding_id',
  userField: 'user_id',
  createdField: 'datetime_created',
  snapshot: false,
  changedOnly: false,
  timestamps: 'iso',
  eventTime: 'commit',
  with: [],
  tables: null,
};
