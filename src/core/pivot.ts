import type { Cell, Row } from './columns.js';
import type { DecodedSchema } from './connect-schema.js';
import type { ChangeEvent, Op, RowImage } from './event.js';
import type { PivotOptions } from './options.js';
import { ExactNumber } from './exact-json.js';
import { qualifiedName } from './sql-identifier.js';
import { UnloadableValue } from './unloadable.js';
import { isUnavailable, microsCell, millisCell, typedCell, type ValueContext, type Warning } from './values.js';

/** Events that are valid but deliberately produce no rows; they are counted, not reported. */
export type SkipKind = 'snapshot' | 'truncate' | 'message' | 'heartbeat' | 'transaction';

export type PivotResult =
  | { readonly kind: 'rows'; readonly rows: Row[]; readonly warnings: Warning[] }
  | { readonly kind: 'skipped'; readonly what: SkipKind }
  | { readonly kind: 'rejected'; readonly reason: string };

/** Everything one event is pivoted with. */
export interface PivotContext {
  readonly options: PivotOptions;
  /** The envelope's column types; null when the event came without a schema. */
  readonly schema: DecodedSchema | null;
  /** The `datetime_inserted` of every row: when the row was produced, from the caller's clock. */
  readonly insertedAt: string;
}

type Handler = (event: ChangeEvent, ctx: PivotContext) => PivotResult;

const skipped = (what: SkipKind): PivotResult => ({ kind: 'skipped', what });

/** The event's table as SQL, for the advice in messages. */
function tableName(event: ChangeEvent): string {
  const source = (typeof event.source === 'object' && event.source !== null ? event.source : {}) as Record<string, unknown>;
  const { schema, table } = source;
  if (typeof table !== 'string' || table === '') return '<table>';
  return qualifiedName(typeof schema === 'string' && schema !== '' ? schema : undefined, table);
}

const replicaIdentityAdvice = (event: ChangeEvent): string => `run ALTER TABLE ${tableName(event)} REPLICA IDENTITY FULL`;

const hasOwn = (image: RowImage, field: string): boolean => Object.prototype.hasOwnProperty.call(image, field);

// holding_pivot's holding_id and user_id are PostgreSQL integers.
const INTEGER = /^-?(?:0|[1-9]\d{0,9})$/;
const isInteger4 = (text: string): boolean => INTEGER.test(text) && Number(text) >= -2_147_483_648 && Number(text) <= 2_147_483_647;

// What holding_pivot's timestamp column reads: the ISO dates and timestamps values are written as
// (a date is its midnight), and infinity.
const TIMESTAMP = /^(?:-?infinity|\d{4,}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?(?: BC)?)$/;

// The logical types whose integers temporal.ts writes as a timestamp or a date.
const EPOCH_TYPES = new Set<string | undefined>([
  'io.debezium.time.Timestamp',
  'io.debezium.time.MicroTimestamp',
  'io.debezium.time.NanoTimestamp',
  'io.debezium.time.Date',
  'org.apache.kafka.connect.data.Timestamp',
  'org.apache.kafka.connect.data.Date',
]);

/** A value quoted for a message, cut short when long. */
const excerpt = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** How many column names a message lists before it says how many more there are. */
const LISTED_COLUMNS = 20;

function columnList(image: RowImage): string {
  const names = Object.keys(image);
  if (names.length === 0) return 'it has no columns';
  const listed = names.slice(0, LISTED_COLUMNS).map((n) => JSON.stringify(n));
  const more = names.length > LISTED_COLUMNS ? ` and ${names.length - LISTED_COLUMNS} more` : '';
  return `its columns: ${listed.join(', ')}${more}`;
}

/** Reads cells out of one row image, decoding each value by the schema and noting what is odd. */
class ImageReader {
  constructor(
    private readonly ctx: PivotContext,
    private readonly image: RowImage,
    /** Which image it is, for messages. */
    private readonly name: 'before' | 'after',
    /** Shared by the images of one event, so its warnings gather in one list. */
    readonly values: ValueContext,
  ) {}

  /** A column's value: only the image's own properties are columns, never Object.prototype's. */
  private value(field: string): unknown {
    const value = this.image[field];
    // A column named "constructor" or "__proto__" is data: what a row inherits is not a column.
    // What Object.prototype holds is functions and, for __proto__, itself; JSON holds neither,
    // so these two tests tell an inherited value apart without a second property lookup.
    return typeof value === 'function' || value === Object.prototype ? undefined : value;
  }

  /** Whether the image holds the column at all (a NULL counts). */
  has(field: string): boolean {
    return hasOwn(this.image, field);
  }

  /** Whether the column holds Debezium's placeholder for an unchanged TOASTed value. */
  unavailable(field: string): boolean {
    return isUnavailable(this.value(field), this.ctx.schema?.columns.get(field));
  }

  cell(field: string): Cell {
    const value = this.value(field);
    if (value === undefined && !this.has(field)) {
      this.values.warnings.push({
        code: 'field-missing',
        subject: field,
        message: `the row image has no column "${field}"; written as NULL (check --fields and the --*-field options)`,
      });
      return null;
    }
    return typedCell(value, this.ctx.schema?.columns.get(field), field, this.values);
  }

  /**
   * The holding_id: never NULL, since the table refuses that (a mistyped --id-field, or an event
   * of another table in the same stream). Throws UnloadableValue naming the columns there are.
   */
  id(): string {
    const field = this.ctx.options.idField;
    const value = this.value(field);
    if (value === undefined || value === null) {
      const what = value === null || this.has(field) ? 'is NULL in' : 'is not in';
      throw new UnloadableValue(`the id column "${field}" ${what} "${this.name}" (${columnList(this.image)}); check --id-field`);
    }
    return this.integer(value, field, 'holding_id', '--id-field') as string;
  }

  /** The user_id: NULL, or an integer the table's column holds. */
  user(): Cell {
    const field = this.ctx.options.userField;
    return this.integer(this.value(field), field, 'user_id', '--user-field');
  }

  /** A column's cell, which must be NULL or an integer PostgreSQL's integer holds. */
  private integer(value: unknown, field: string, column: string, option: string): Cell {
    // The usual case, a JSON integer, needs no text to be checked.
    if (typeof value === 'number' && Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647) return String(value);
    const text = this.cell(field);
    if (text === null || isInteger4(text)) return text;
    throw new UnloadableValue(`${column} is a PostgreSQL integer, but "${field}" holds ${excerpt(text)}; check ${option}`);
  }

  /** Whether none of `fields` has a value: missing or NULL. */
  lacksAll(fields: readonly string[]): boolean {
    return fields.every((f) => this.value(f) === null || this.value(f) === undefined);
  }

  /** The created-at column, decoded by its schema type when there is a schema. */
  created(): Cell {
    const field = this.ctx.options.createdField;
    if (field === '') return null;
    const value = this.value(field);
    // Without a schema a number here can only be Debezium's default for a PostgreSQL timestamp.
    if (this.ctx.schema === null && (typeof value === 'number' || value instanceof ExactNumber)) return microsCell(value, field, this.values);
    const created = this.cell(field);
    // An integer of a timestamp or date type was written by temporal.ts; --timestamps epoch
    // writes numbers on purpose, for tables shaped like stream.py's.
    if (created === null || this.ctx.options.timestamps === 'epoch') return created;
    if (typeof value === 'number' && Number.isSafeInteger(value) && EPOCH_TYPES.has(this.ctx.schema?.columns.get(field)?.name)) return created;
    if (TIMESTAMP.test(created)) return created;
    throw new UnloadableValue(`datetime_created is a PostgreSQL timestamp, but "${field}" holds ${excerpt(created)}; check --created-field`);
  }
}

const valueContext = (ctx: PivotContext): ValueContext => ({ timestamps: ctx.options.timestamps, warnings: [] });

function eventTime(event: ChangeEvent, values: ValueContext): Cell {
  return event.ts_ms === undefined || event.ts_ms === null ? null : millisCell(event.ts_ms, 'ts_ms', values);
}

function creation(event: ChangeEvent, ctx: PivotContext, op: 'c' | 'r'): PivotResult {
  if (typeof event.after !== 'object' || event.after === null) return { kind: 'rejected', reason: `op "${op}" without "after"` };
  const after = new ImageReader(ctx, event.after, 'after', valueContext(ctx));
  const { fields } = ctx.options;
  const id = after.id();
  const user = after.user();
  const created = after.created();
  const rows = fields.map((field): Row => [id, user, field, null, after.cell(field), created, null, null, ctx.insertedAt, op]);
  return { kind: 'rows', rows, warnings: after.values.warnings };
}

/**
 * The old and new value of a tracked column in an update. Debezium's TOAST placeholder in `after`
 * means "unchanged, not sent": the new value is the old one when `before` has it, and when nothing
 * has it both are NULL, so the row does not look like a change.
 */
function updatedValues(field: string, before: ImageReader | null, after: ImageReader): { old: Cell; new: Cell; unchanged: boolean } {
  if (!after.unavailable(field)) return { old: before === null ? null : before.cell(field), new: after.cell(field), unchanged: false };
  if (before !== null && before.has(field) && !before.unavailable(field)) {
    const oldValue = before.cell(field);
    return { old: oldValue, new: oldValue, unchanged: true };
  }
  after.values.warnings.push({
    code: 'unavailable-value',
    subject: field,
    message: `"${field}" holds Debezium's placeholder for an unchanged TOASTed value and no "before" image has the value; old_value and new_value are both written as NULL (REPLICA IDENTITY FULL sends the real value)`,
  });
  return { old: null, new: null, unchanged: true };
}

/**
 * REPLICA IDENTITY DEFAULT (or USING INDEX) sends only the key of a deleted or updated row in
 * `before`: Debezium writes its other columns as NULL, which would read as NULL old values.
 */
function warnIfKeyOnly(event: ChangeEvent, ctx: PivotContext, before: ImageReader, what: 'updates' | 'deletes'): void {
  const needed = [ctx.options.userField, ...ctx.options.fields];
  if (!before.lacksAll(needed)) return;
  const table = tableName(event);
  before.values.warnings.push({
    code: 'before-incomplete',
    subject: table,
    message: `${what} of ${table} carry only the key in "before" (${needed.map((f) => `"${f}"`).join(', ')} all NULL or missing), so old_value${what === 'deletes' ? ' and user_id are' : ' is'} NULL; ${replicaIdentityAdvice(event)}`,
  });
}

function update(event: ChangeEvent, ctx: PivotContext): PivotResult {
  if (typeof event.after !== 'object' || event.after === null) return { kind: 'rejected', reason: 'op "u" without "after"' };
  const values = valueContext(ctx);
  const after = new ImageReader(ctx, event.after, 'after', values);
  const before = event.before ? new ImageReader(ctx, event.before, 'before', values) : null;
  if (before === null) {
    const table = tableName(event);
    values.warnings.push({
      code: 'before-missing',
      subject: table,
      message: `updates of ${table} carry no "before" image, so old_value is NULL; ${replicaIdentityAdvice(event)}`,
    });
  } else warnIfKeyOnly(event, ctx, before, 'updates');
  const { fields, changedOnly } = ctx.options;
  const id = after.id();
  const user = after.user();
  const updated = eventTime(event, values);
  const rows: Row[] = [];
  for (const field of fields) {
    const { old: oldValue, new: newValue, unchanged } = updatedValues(field, before, after);
    if (changedOnly && (unchanged || (before !== null && oldValue === newValue))) continue;
    rows.push([id, user, field, oldValue, newValue, null, updated, null, ctx.insertedAt, 'u']);
  }
  return { kind: 'rows', rows, warnings: values.warnings };
}

function deletion(event: ChangeEvent, ctx: PivotContext): PivotResult {
  if (typeof event.before !== 'object' || event.before === null) {
    return { kind: 'rejected', reason: `op "d" without "before": nothing to pivot (${replicaIdentityAdvice(event)})` };
  }
  const before = new ImageReader(ctx, event.before, 'before', valueContext(ctx));
  const { fields } = ctx.options;
  const id = before.id();
  warnIfKeyOnly(event, ctx, before, 'deletes');
  const user = before.user();
  const deleted = eventTime(event, before.values);
  const rows = fields.map((field): Row => [id, user, field, before.cell(field), null, null, null, deleted, ctx.insertedAt, 'd']);
  return { kind: 'rows', rows, warnings: before.values.warnings };
}

// One entry per op, so adding an op to OPS fails to compile until it is decided here.
const HANDLERS: { readonly [op in Op]: Handler } = {
  c: (event, ctx) => creation(event, ctx, 'c'),
  r: (event, ctx) => (ctx.options.snapshot ? creation(event, ctx, 'r') : skipped('snapshot')),
  u: update,
  d: deletion,
  t: () => skipped('truncate'),
  m: () => skipped('message'),
};

/** Pivots one change event into one row per tracked field (or says why there are none). */
export function pivotEvent(event: ChangeEvent, ctx: PivotContext): PivotResult {
  try {
    return HANDLERS[event.op](event, ctx);
  } catch (error) {
    if (error instanceof UnloadableValue) return { kind: 'rejected', reason: error.reason };
    throw error;
  }
}
