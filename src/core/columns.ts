/** The pivot's columns, in output order: the CSV contract and the `holding_pivot` table's layout. */
export const COLUMNS = [
  'holding_id',
  'user_id',
  'change_field',
  'old_value',
  'new_value',
  'datetime_created',
  'datetime_updated',
  'datetime_deleted',
  'datetime_inserted',
  'op',
] as const;

export type Column = (typeof COLUMNS)[number];

/**
 * The columns `--with` can append after COLUMNS, in any order: where a change comes from, and which
 * Kafka message carried it (the `holding_pivot_audit` table's extra columns, in this order).
 */
export const IDENTITY_COLUMNS = [
  'event_id',
  'source_table',
  'lsn',
  'tx_id',
  'committed_at',
  'kafka_topic',
  'kafka_partition',
  'kafka_offset',
] as const;

export type IdentityColumn = (typeof IDENTITY_COLUMNS)[number];

/** A cell is text, or null for SQL NULL (written as an empty unquoted CSV field). */
export type Cell = string | null;

/** One cell per name, in the same order. */
type CellsOf<Names extends readonly string[]> = { readonly [I in keyof Names]: Cell };

/** The ten cells every row starts with, in COLUMNS order. */
export type PivotRow = CellsOf<typeof COLUMNS>;

/** One output row: the ten pivot cells, then one cell per `--with` column, in the order given. */
export type Row = readonly [...PivotRow, ...Cell[]];

/**
 * The columns of an audit trail of many tables (--config, --table; sql/audit_trail.sql): the
 * table, then COLUMNS with the key and the user as text under names of no one table.
 */
export const GENERIC_COLUMNS = ['source_table', 'row_key', 'user_key', ...COLUMNS.slice(2)] as const;

/** A row as written: PivotRow's cells, after the table's with --config or --table. */
export type OutputRow = readonly Cell[];
