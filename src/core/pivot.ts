import type { Cell, Row } from './columns.js';
import type { DecodedSchema, FieldType } from './connect-schema.js';
import type { ChangeEvent, Op } from './event.js';
import { ImageReader } from './image-reader.js';
import type { PivotOptions } from './options.js';
import { eventTime } from './source.js';
import { qualifiedName } from './sql-identifier.js';
import { ALL_COLUMNS, type TableSpec } from './tables.js';
import { UnloadableValue } from './unloadable.js';
import type { ValueContext, Warning } from './values.js';

/** Events that are valid but deliberately produce no rows; they are counted, not reported. */
export type SkipKind = 'snapshot' | 'truncate' | 'message' | 'heartbeat' | 'transaction' | 'unconfigured';

export type PivotResult =
  | { readonly kind: 'rows'; readonly rows: Row[]; readonly warnings: Warning[] }
  /** `notice`: said once per cause, as warnings are (the events of a table that is not configured). */
  | { readonly kind: 'skipped'; readonly what: SkipKind; readonly notice?: Warning }
  | { readonly kind: 'rejected'; readonly reason: string };

/** Everything one event is pivoted with. */
export interface PivotContext {
  readonly options: PivotOptions;
  /** The columns of the event's table. */
  readonly table: TableSpec;
  /** The envelope's column types; null when the event came without a schema. */
  readonly schema: DecodedSchema | null;
  /** The `datetime_inserted` of every row: when the row was produced, from the caller's clock. */
  readonly insertedAt: string;
}

type Handler = (event: ChangeEvent, ctx: PivotContext) => PivotResult;

const skipped = (what: SkipKind): PivotResult => ({ kind: 'skipped', what });

/** The event's table as SQL, for the advice in messages. */
function tableName(event: ChangeEvent): string {
  const { schema, table } = event.source ?? {};
  if (!table) return '<table>';
  return qualifiedName(schema || undefined, table);
}

const replicaIdentityAdvice = (event: ChangeEvent): string => `run ALTER TABLE ${tableName(event)} REPLICA IDENTITY FULL`;

const valueContext = (ctx: PivotContext): ValueContext => ({ timestamps: ctx.options.timestamps, warnings: [] });

/**
 * The tracked columns: the table's list, or with "*" every column of the images (after's order,
 * then any only before has) but the key, user, created and excluded ones.
 */
function trackedFields(table: TableSpec, first: ImageReader, second: ImageReader | null): readonly string[] {
  if (table.fields !== ALL_COLUMNS) return table.fields;
  const left = new Set([...table.key, table.user, table.created, ...table.exclude]);
  const fields = new Set<string>();
  for (const image of [first, second]) for (const column of image?.columns() ?? []) if (!left.has(column)) fields.add(column);
  return [...fields];
}

// The loops over an event's fields below are indexed, not for…of, and build rows without
// callbacks: a short run executes them as bytecode, where each of those costs an allocation or a
// call per field (bench/README.md).

function creation(event: ChangeEvent, ctx: PivotContext, op: 'c' | 'r'): PivotResult {
  if (typeof event.after !== 'object' || event.after === null) return { kind: 'rejected', reason: `op "${op}" without "after"` };
  const after = new ImageReader(ctx, event.after, 'after', valueContext(ctx));
  const fields = trackedFields(ctx.table, after, null);
  const id = after.id();
  const user = after.user();
  const created = after.created();
  const rows: Row[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    rows.push([id, user, field, null, after.cell(field), created, null, null, ctx.insertedAt, op]);
  }
  return { kind: 'rows', rows, warnings: after.values.warnings };
}

/**
 * The old and new value of a tracked column whose `after` holds Debezium's TOAST placeholder,
 * "unchanged, not sent": the new value is the old one when `before` has it, and when nothing has
 * it both are NULL, so the row does not look like a change.
 */
function unsentValues(field: string, type: FieldType | undefined, before: ImageReader | null, after: ImageReader): { old: Cell; new: Cell } {
  if (before !== null && before.has(field) && !before.unavailable(field, type)) {
    const oldValue = before.cell(field, type);
    return { old: oldValue, new: oldValue };
  }
  after.values.warnings.push({
    code: 'unavailable-value',
    subject: field,
    message: `"${field}" holds Debezium's placeholder for an unchanged TOASTed value and no "before" image has the value; old_value and new_value are both written as NULL (REPLICA IDENTITY FULL sends the real value)`,
  });
  return { old: null, new: null };
}

/**
 * REPLICA IDENTITY DEFAULT (or USING INDEX) sends only the key of a deleted or updated row in
 * `before`: Debezium writes its other columns as NULL, which would read as NULL old values.
 */
function warnIfKeyOnly(event: ChangeEvent, ctx: PivotContext, before: ImageReader, fields: readonly string[], what: 'updates' | 'deletes'): void {
  const { user } = ctx.table;
  if ((user !== '' && !before.lacks(user)) || !before.lacksAll(fields)) return;
  const needed = user === '' ? fields : [user, ...fields];
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
  const fields = trackedFields(ctx.table, after, before);
  if (before === null) {
    const table = tableName(event);
    const advice = event.flattened
      ? 'flattened events (ExtractNewRecordState) have none: pivot the unflattened topic for old values'
      : replicaIdentityAdvice(event);
    values.warnings.push({
      code: 'before-missing',
      subject: table,
      message: `updates of ${table} carry no "before" image, so old_value is NULL; ${advice}`,
    });
  } else warnIfKeyOnly(event, ctx, before, fields, 'updates');
  const { changedOnly } = ctx.options;
  const id = after.id();
  const user = after.user();
  const updated = eventTime(event, ctx.options.eventTime, values);
  const rows: Row[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    // One schema for both images: the column's type is looked up once.
    const type = after.typeOf(field);
    let oldValue: Cell;
    let newValue: Cell;
    const unchanged = after.unavailable(field, type);
    if (unchanged) ({ old: oldValue, new: newValue } = unsentValues(field, type, before, after));
    else {
      oldValue = before === null ? null : before.cell(field, type);
      newValue = after.cell(field, type);
    }
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
  const fields = trackedFields(ctx.table, before, null);
  const id = before.id();
  warnIfKeyOnly(event, ctx, before, fields, 'deletes');
  const user = before.user();
  const deleted = eventTime(event, ctx.options.eventTime, before.values);
  const rows: Row[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    rows.push([id, user, field, before.cell(field), null, null, null, deleted, ctx.insertedAt, 'd']);
  }
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
