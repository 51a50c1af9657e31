import { COLUMNS, GENERIC_COLUMNS } from './columns.js';
import type { PivotOptions } from './options.js';

/**
 * The names of the columns written, for --header: GENERIC_COLUMNS with a table list; otherwise
 * COLUMNS, where the first two name the --id-field and --user-field columns they hold.
 */
export function outputColumns(options: PivotOptions): string[] {
  if (options.tables !== null) return [...GENERIC_COLUMNS, ...options.with];
  const [, , ...rest] = COLUMNS;
  return [options.idField, options.userField === '' ? COLUMNS[1] : options.userField, ...rest, ...options.with];
}
