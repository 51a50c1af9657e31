import { stringify } from 'csv-stringify/sync';
import type { OutputRow } from '../core/columns.js';
import { CSV_OPTIONS } from './csv-options.js';

/** RFC 4180 text of rows, one record per row, each ending in \n. */
export function csvText(rows: readonly OutputRow[]): string {
  return stringify(rows as OutputRow[], CSV_OPTIONS);
}
