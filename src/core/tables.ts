/** Per-table pivot settings, and which table an event is of. */
import type { PivotOptions } from './options.js';
import type { Source } from './event.js';
import { sourceTable } from './source.js';

/** What a table is named by in the file and in --table: schema.table, as Debezium's source block says them. */
export const TABLE_NAME = /^[^.]+\.[^.]+$/;

/** What `--fields '*'` and a configuration file's `"fields": "*"` mean: every column of the row image. */
export const ALL_COLUMNS = '*';

/** How the events of one source table are pivoted. */
export interface TableSpec {
  /** The key column(s): one is written as its value, several as a JSON array of their values (keyText). */
  readonly key: readonly string[];
  /** The user column; '' for none (the user cell is NULL). */
  readonly user: string;
  /** The created-at column; '' for none. */
  readonly created: string;
  /** The tracked columns, or every column of the row image. */
  readonly fields: readonly string[] | typeof ALL_COLUMNS;
  /** With ALL_COLUMNS: the columns left out besides the key, user and created columns. */
  readonly exclude: readonly string[];
}

/** The table the command-line options describe (--fields, --id-field, --user-field, --created-field). */
export function commandLineTable(options: PivotOptions): TableSpec {
  const all = options.fields.length === 1 && options.fields[0] === ALL_COLUMNS;
  return {
    key: [options.idField],
    user: options.userField,
    created: options.createdField,
    fields: all ? ALL_COLUMNS : options.fields,
    exclude: [],
  };
}

/**
 * A composite key's one text form: a JSON array of its columns' values as text, in the key's
 * order, e.g. ["7","A-1"]. JSON says each value unambiguously whatever it holds (a comma, a
 * quote), loads as text and reads back in SQL with (row_key::jsonb ->> 0).
 */
export function keyText(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** The last two dot-separated parts of a Debezium topic name (<prefix>.<schema>.<table>). */
function topicTable(topic: string): string | null {
  const parts = topic.split('.');
  return parts.length >= 3 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : null;
}

/** Which configured table an event is of, or the name it gave when that table is not configured. */
export type Routed = { readonly name: string; readonly table: TableSpec | undefined } | null;

/**
 * Finds an event's table among the configured ones by `source.schema`.`source.table`; without
 * both, by the Kafka topic (kcat -J); with a table name alone (a flattened event's __table), by
 * the one configured table of that name. Null when the event names no table at all.
 */
export function routeEvent(tables: ReadonlyMap<string, TableSpec>, source: Source | null | undefined, topic: string | undefined): Routed {
  const name = sourceTable(source);
  if (name !== null) return { name, table: tables.get(name) };
  const table = source?.table;
  const fromTopic = topic === undefined ? null : topicTable(topic);
  if (fromTopic !== null) return { name: fromTopic, table: tables.get(fromTopic) };
  if (!table) return null;
  const matches = [...tables.keys()].filter((name) => name.slice(name.indexOf('.') + 1) === table);
  return matches.length === 1 ? { name: matches[0] as string, table: tables.get(matches[0] as string) } : { name: table, table: undefined };
}
