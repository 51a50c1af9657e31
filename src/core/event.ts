import { z } from 'zod';

/** Every op Debezium writes: create, update, delete, snapshot read, truncate, logical-decoding message. */
export const OPS = ['c', 'u', 'd', 'r', 't', 'm'] as const;
export type Op = (typeof OPS)[number];

/** A row image (`before` or `after`): column name → value. */
export type RowImage = Readonly<Record<string, unknown>>;

const RowImageSchema = z.record(z.string(), z.unknown());

const ChangeEventSchema = z.looseObject({
  op: z.enum(OPS, {
    error: (issue) => (issue.input === undefined ? 'missing "op"' : `unknown op ${JSON.stringify(issue.input)}`),
  }),
  before: RowImageSchema.nullish(),
  after: RowImageSchema.nullish(),
  ts_ms: z.number().nullish(),
  source: z.looseObject({ schema: z.string().nullish(), table: z.string().nullish() }).nullish(),
});

/** The payload of a Debezium change event, as far as the pivot reads it. */
export interface ChangeEvent {
  readonly op: Op;
  readonly before?: RowImage | null | undefined;
  readonly after?: RowImage | null | undefined;
  /** When Debezium processed the change, in ms; a number, or an ExactNumber when read exactly. */
  readonly ts_ms?: unknown;
  readonly source?: { readonly schema?: string | null | undefined; readonly table?: string | null | undefined } | null | undefined;
}

/** Checks the shape of a change event's payload; returns the reason when it is not one. */
export function validateChangeEvent(value: unknown): ChangeEvent | string {
  const result = ChangeEventSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) return 'not a Debezium change event';
  const path = issue.path.join('.');
  return path === '' || path === 'op' ? issue.message : `"${path}": ${issue.message.toLowerCase()}`;
}
