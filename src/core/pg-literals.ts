/** PostgreSQL's input syntax for the composite values Debezium sends as JSON arrays and maps. */
import type { Cell } from './columns.js';

/** Double quotes with `\` and `"` escaped: an array element or hstore key or value taken literally. */
function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

export type ArrayElement = Cell | readonly ArrayElement[];

/**
 * An array literal ('{"1","x y",NULL}'). Every element is quoted, which every element type reads
 * as its own text, so the element text never needs to be inspected; NULL is unquoted.
 */
export function arrayLiteral(elements: readonly ArrayElement[]): string {
  const parts = elements.map((e) => (e === null ? 'NULL' : typeof e === 'string' ? quoted(e) : arrayLiteral(e)));
  return `{${parts.join(',')}}`;
}

/** An hstore literal ('"a"=>"1", "b"=>NULL'). */
export function hstoreLiteral(entries: readonly (readonly [string, string | null])[]): string {
  return entries.map(([key, value]) => `${quoted(key)}=>${value === null ? 'NULL' : quoted(value)}`).join(', ');
}
