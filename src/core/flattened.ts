/**
 * Events flattened by Debezium's ExtractNewRecordState transform: the row image itself, with the
 * metadata named in the transform's add.fields as `__<field>` columns (`__op`, `__table`,
 * `__source_ts_ms`, …) and, for deletes rewritten by delete.handling.mode or
 * delete.tombstone.handling.mode=rewrite, `__deleted`.
 */

// The fields of a PostgreSQL connector's source block, which add.fields may name with or without "source.".
const SOURCE_FIELDS = new Set(['version', 'connector', 'name', 'ts_ms', 'ts_us', 'ts_ns', 'snapshot', 'db', 'sequence', 'schema', 'table', 'txId', 'lsn', 'xmin']);
// The envelope's own fields: "ts_ms" in add.fields is the envelope's (when Debezium processed the change).
const ENVELOPE_FIELDS = new Set(['op', 'ts_ms', 'ts_us', 'ts_ns']);
const PREFIX = '__';
const SOURCE_PREFIX = 'source_';

/**
 * Whether a value is a flattened event: it carries the transform's op, or its delete mark and no
 * envelope op. `__op` decides even beside "op", which is then a column of the row.
 */
export function isFlattened(value: Readonly<Record<string, unknown>>): boolean {
  return '__op' in value || (!('op' in value) && '__deleted' in value);
}

/**
 * The change event a flattened value stands for: its row image as `after` (as `before` for a
 * delete), its metadata as the envelope's and the source block's fields; or why it is not one.
 */
export function unflatten(value: Readonly<Record<string, unknown>>): Record<string, unknown> | string {
  if (!('__op' in value)) return 'a flattened event (ExtractNewRecordState) without "__op": add op to the transform\'s add.fields';
  const image: Record<string, unknown> = {};
  const source: Record<string, unknown> = {};
  const envelope: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const cell = value[key];
    const name = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : null;
    if (name === null) image[key] = cell;
    else if (name === 'deleted') continue;
    else if (name.startsWith(SOURCE_PREFIX) && SOURCE_FIELDS.has(name.slice(SOURCE_PREFIX.length))) source[name.slice(SOURCE_PREFIX.length)] = cell;
    else if (ENVELOPE_FIELDS.has(name)) envelope[name] = cell;
    else if (SOURCE_FIELDS.has(name)) source[name] ??= cell;
    // Not metadata the transform adds: a column whose name starts with "__".
    else image[key] = cell;
  }
  const op = envelope['op'];
  return {
    op,
    ...(op === 'd' ? { before: image } : { after: image }),
    ts_ms: envelope['ts_ms'],
    source,
    flattened: true,
  };
}
