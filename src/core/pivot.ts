import type { Cell, Row } from './columns.js';
import type { DecodedSchema } from './connect-schema.js';
import type { ChangeEvent, Op, RowImage } from './event.js';
import type { PivotOptions } from './options.js';
import { ExactNumber } from './exact-json.js';
import { microsCell, millisCell, typedCell, type ValueContext, type Warning } from './values.js';

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

function tableName(event: ChangeEvent): string {
  const source = (typeof event.source === 'object' && event.source !== null ? event.source : {}) as Record<string, unknown>;
  const { schema, table } = source;
  if (typeof table !== 'string' || table === '') return '<table>';
  return typeof schema === 'string' && schema !== '' ? `${schema}.${table}` : table;
}

/** Reads cells out of one row image, decoding each value by the schema and noting what is odd. */
class ImageReader {
  constructor(
    private readonly ctx: PivotContext,
    private readonly image: RowImage,
    /** Shared by the images of one event, so its warnings gather in one list. */
    readonly values: ValueContext,
  ) {}

  cell(field: string): Cell {
    const value = this.image[field];
    // One property lookup for the usual case; `in` only tells a missing column from an undefined one.
    if (value === undefined && !(field in this.image)) {
      // A schema that names the table's columns tells a misnamed column from one this image lacks.
      const columns = this.ctx.schema?.columns;
      this.values.warnings.push(
        columns !== undefined && columns.size > 0 && !columns.has(field)
          ? { code: 'column-unknown', subject: field, message: `the table has no column "${field}" (its schema names none); written as NULL (check --fields and the --*-field options)` }
          : { code: 'field-missing', subject: field, message: `the row image has no column "${field}"; written as NULL (check --fields and the --*-field options)` },
      );
      return null;
    }
    return typedCell(value, this.ctx.schema?.columns.get(field), field, this.values);
  }

  /** The user column; none when the option names none (''). */
  user(): Cell {
    const field = this.ctx.options.userField;
    return field === '' ? null : this.cell(field);
  }

  /** The created-at column, decoded by its schema type when there is a schema. */
  created(): Cell {
    const field = this.ctx.options.createdField;
    if (field === '') return null;
    const value = this.image[field];
    // Without a schema a number here can only be Debezium's default for a PostgreSQL timestamp.
    if (this.ctx.schema === null && (typeof value === 'number' || value instanceof ExactNumber)) {
      return microsCell(value, field, this.values);
    }
    return this.cell(field);
  }
}

const valueContext = (ctx: PivotContext): ValueContext => ({ timestamps: ctx.options.timestamps, warnings: [] });

function eventTime(event: ChangeEvent, values: ValueContext): Cell {
  return event.ts_ms === undefined || event.ts_ms === null ? null : millisCell(event.ts_ms, 'ts_ms', values);
}

function creation(event: ChangeEvent, ctx: PivotContext, op: 'c' | 'r'): PivotResult {
  if (typeof event.after !== 'object' || event.after === null) return { kind: 'rejected', reason: `op "${op}" without "after"` };
  const after = new ImageReader(ctx, event.after, valueContext(ctx));
  const { idField, fields } = ctx.options;
  const id = after.cell(idField);
  const user = after.user();
  const created = after.created();
  const rows = fields.map((field): Row => [id, user, field, null, after.cell(field), created, null, null, ctx.insertedAt, op]);
  return { kind: 'rows', rows, warnings: after.values.warnings };
}

function update(event: ChangeEvent, ctx: PivotContext): PivotResult {
  if (typeof event.after !== 'object' || event.after === null) return { kind: 'rejected', reason: 'op "u" without "after"' };
  const values = valueContext(ctx);
  const after = new ImageReader(ctx, event.after, values);
  const before = event.before ? new ImageReader(ctx, event.before, values) : null;
  if (before === null) {
    const table = tableName(event);
    values.warnings.push({
      code: 'before-missing',
      subject: table,
      message: `updates of ${table} carry no "before" image, so old_value is NULL; run ALTER TABLE ${table} REPLICA IDENTITY FULL`,
    });
  }
  const { idField, fields, changedOnly } = ctx.options;
  const id = after.cell(idField);
  const user = after.user();
  const updated = eventTime(event, values);
  const rows: Row[] = [];
  for (const field of fields) {
    const oldValue = before === null ? null : before.cell(field);
    const newValue = after.cell(field);
    if (changedOnly && before !== null && oldValue === newValue) continue;
    rows.push([id, user, field, oldValue, newValue, null, updated, null, ctx.insertedAt, 'u']);
  }
  return { kind: 'rows', rows, warnings: values.warnings };
}

function deletion(event: ChangeEvent, ctx: PivotContext): PivotResult {
  if (typeof event.before !== 'object' || event.before === null) {
    const table = tableName(event);
    return {
      kind: 'rejected',
      reason: `op "d" without "before": nothing to pivot (run ALTER TABLE ${table} REPLICA IDENTITY FULL)`,
    };
  }
  const before = new ImageReader(ctx, event.before, valueContext(ctx));
  const { idField, fields } = ctx.options;
  const id = before.cell(idField);
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
  return HANDLERS[event.op](event, ctx);
}
