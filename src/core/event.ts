// zod/mini: the same validators, but it loads much faster, and start-up counts in a pipe (bench/README.md).
import * as z from 'zod/mini';

/** Every op Debezium writes: create, update, delete, snapshot read, truncate, logical-decoding message. */
export const OPS = ['c', 'u', 'd', 'r', 't', 'm'] as const;
export type Op = (typeof OPS)[number];

/** A row image (`before` or `after`): column name → value. */
export type RowImage = Readonly<Record<string, unknown>>;

// A row image is checked for being an object, not column by column: z.record would visit every
// column of every event (bench/README.md), and the values are decoded one by one later anyway.
const RowImageSchema = z.custom<RowImage>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
  message: 'expected an object',
});

const text = z.nullish(z.string({ error: 'expected a string' }));
const number = z.nullish(z.number({ error: 'expected a number' }));
// multipleOf(1), not z.int(): an LSN beyond 2^53 arrives as an inexact double, is no safe
// integer, and is read again exactly (as an ExactNumber) when it is used.
const integer = z.nullish(z.number({ error: 'expected an integer' }).check(z.multipleOf(1, { error: 'expected an integer' })));

// Only the keys the pivot reads; Debezium's other source keys (version, sequence, xmin, …) pass unchecked.
const SourceShape = z.object(
  { db: text, schema: text, table: text, lsn: integer, txId: integer, ts_ms: number, ts_us: number },
  { error: 'expected an object' },
);

// z.object, not looseObject: the pivot reads only these keys, and passing the others through costs
// a visit to each of them. z.compile generates a parser for this one shape, several times faster
// than zod/mini's interpreted object (bench/README.md); an event it rejects is parsed again by the
// interpreter, so the messages are the same.
// zod/mini carries no messages of its own: each check names what it expected.
const ChangeEventShape = z.object({
  op: z.enum(OPS, {
    error: (issue) => (issue.input === undefined ? 'missing "op"' : `unknown op ${JSON.stringify(issue.input)}`),
  }),
  before: z.nullish(RowImageSchema),
  after: z.nullish(RowImageSchema),
  ts_ms: number,
  source: z.nullish(SourceShape),
});
const ChangeEventSchema = z.compile(ChangeEventShape);

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

/** Checks the shape of a change event's payload; returns the reason when it is not one. */
export function validateChangeEvent(value: unknown): ChangeEvent | string {
  const result = ChangeEventSchema.safeParse(value);
  // The checked value itself, not zod's copy of it, which keeps only the keys of the shapes above.
  if (result.success) return value as ChangeEvent;
  const issue = result.error.issues[0];
  if (issue === undefined) return 'not a Debezium change event';
  const path = issue.path.join('.');
  return path === '' || path === 'op' ? issue.message : `"${path}": ${issue.message.toLowerCase()}`;
}
