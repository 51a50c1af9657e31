// The change event's shape is checked by hand, not by zod: a run that never meets a bad event
// would load zod (a 200 KB chunk) and generate z.compile's parser before its first line, a cost a
// short run feels (bench/README.md). test/core/shapes.test.ts holds the zod schema this check
// stood for and runs both over generated values: same verdicts, same messages.

/** Every op Debezium writes: create, update, delete, snapshot read, truncate, logical-decoding message. */
export const OPS = ['c', 'u', 'd', 'r', 't', 'm'] as const;
export type Op = (typeof OPS)[number];

/** A row image (`before` or `after`): column name → value. */
export type RowImage = Readonly<Record<string, unknown>>;

/**
 * Debezium's `source` block, as far as the pivot reads it. Numbers are numbers, or ExactNumbers
 * when the event was read exactly.
 */
export interface Source {
  readonly db?: string | null | undefined;
  readonly schema?: string | null | undefined;
  readonly table?: string | null | undefined;
  /** The change's WAL record position (several changes of one record share it). */
  readonly lsn?: unknown;
  readonly txId?: unknown;
  /** When the change was committed in PostgreSQL, in ms; for a snapshot read, when the snapshot read it. */
  readonly ts_ms?: unknown;
  /** The same in µs (Debezium 2.6 and later). */
  readonly ts_us?: unknown;
}

/** The payload of a Debezium change event, as far as the pivot reads it. */
export interface ChangeEvent {
  readonly op: Op;
  readonly before?: RowImage | null | undefined;
  readonly after?: RowImage | null | undefined;
  /** When Debezium processed the change, in ms; a number, or an ExactNumber when read exactly. */
  readonly ts_ms?: unknown;
  readonly source?: Source | null | undefined;
  /** Rebuilt from an ExtractNewRecordState value (flattened.ts): it never has a "before" to update from. */
  readonly flattened?: boolean;
}

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// Only the keys the pivot reads are checked; Debezium's other keys (version, sequence, xmin, …)
// pass unchecked. A row image is checked for being an object, not column by column: its values
// are decoded one by one later anyway. Every event runs this, most of them as bytecode (a short
// run ends before V8 optimises it), hence plain tests in a row, no loops over lists of keys.

/**
 * Whether a number counts as an integer: within a few ulps of one, as zod's multipleOf(1) has it,
 * not Number.isInteger. An LSN beyond 2^53 arrives as an inexact double, and is read again exactly
 * (as an ExactNumber) when it is used.
 */
function isIntegral(value: number): boolean {
  return Number.isSafeInteger(value) || Math.abs(value - Math.round(value)) < 4 * Number.EPSILON * Math.max(Math.abs(value), 1);
}

/** The first thing wrong with the source block, as `"source.<key>": <what>`, or null. */
function sourceProblem(source: unknown): string | null {
  if (source === undefined || source === null) return null;
  if (!isObject(source)) return '"source": expected an object';
  const { db, schema, table, lsn, txId, ts_ms: ms, ts_us: us } = source;
  if (db !== undefined && db !== null && typeof db !== 'string') return '"source.db": expected a string';
  if (schema !== undefined && schema !== null && typeof schema !== 'string') return '"source.schema": expected a string';
  if (table !== undefined && table !== null && typeof table !== 'string') return '"source.table": expected a string';
  if (lsn !== undefined && lsn !== null && (typeof lsn !== 'number' || !isIntegral(lsn))) return '"source.lsn": expected an integer';
  if (txId !== undefined && txId !== null && (typeof txId !== 'number' || !isIntegral(txId))) return '"source.txId": expected an integer';
  if (ms !== undefined && ms !== null && typeof ms !== 'number') return '"source.ts_ms": expected a number';
  if (us !== undefined && us !== null && typeof us !== 'number') return '"source.ts_us": expected a number';
  return null;
}

/**
 * Checks the shape of a change event's payload (a value JSON.parse made); returns the reason when
 * it is not one: the first key wrong, in the order op, before, after, ts_ms, source.
 */
export function validateChangeEvent(value: JsonObject): ChangeEvent | string {
  const { op, before, after, ts_ms: ms } = value;
  if (!(OPS as readonly unknown[]).includes(op)) return op === undefined ? 'missing "op"' : `unknown op ${JSON.stringify(op)}`;
  if (before !== undefined && before !== null && !isObject(before)) return '"before": expected an object';
  if (after !== undefined && after !== null && !isObject(after)) return '"after": expected an object';
  if (ms !== undefined && ms !== null && typeof ms !== 'number') return '"ts_ms": expected a number';
  return sourceProblem(value['source']) ?? (value as unknown as ChangeEvent);
}
