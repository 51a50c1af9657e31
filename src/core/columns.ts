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

/** A cell is text, or null for SQL NULL (written as an empty unquoted CSV field). */
export type Cell = string | null;

/** One pivot row: exactly one cell per column, in COLUMNS order. */
export type Row = readonly [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

// Fails to compile if a column is added without widening Row, or the other way round.
const rowMatchesColumns: Row['length'] extends (typeof COLUMNS)['length'] ? true : never = true;
void rowMatchesColumns;
