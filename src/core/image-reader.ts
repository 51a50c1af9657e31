/**
 * One row image (`before` or `after`) and its cells, as an audit table's columns take them: the id
 * never NULL, the created time a timestamp. The id and the user are written as their columns'
 * values, whatever their type: sql/holding_pivot.sql holds bank.holding's integers, another table's
 * audit trail its own types.
 */
import type { Cell } from './columns.js';
import type { FieldType } from './connect-schema.js';
import type { RowImage } from './event.js';
import { ExactNumber } from './exact-json.js';
import type { PivotContext } from './pivot.js';
import { keyText } from './tables.js';
import { UnloadableValue } from './unloadable.js';
import { isUnavailable, microsCell, typedCell, type ValueContext } from './values.js';

const hasOwn = (image: RowImage, field: string): boolean => Object.prototype.hasOwnProperty.call(image, field);

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
export class ImageReader {
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

  /** The column's type in the event's schema; undefined without a schema or when it names no such column. */
  typeOf(field: string): FieldType | undefined {
    return this.ctx.schema?.columns.get(field);
  }

  /** Whether the column holds Debezium's placeholder for an unchanged TOASTed value. */
  unavailable(field: string, type: FieldType | undefined = this.typeOf(field)): boolean {
    return isUnavailable(this.value(field), type);
  }

  /** The column's cell; `type`, when the caller has looked it up already, saves looking it up again. */
  cell(field: string, type: FieldType | undefined = this.typeOf(field)): Cell {
    return this.cellOf(field, this.value(field), type);
  }

  private cellOf(field: string, value: unknown, type: FieldType | undefined): Cell {
    if (value === undefined && !this.has(field)) {
      // A schema that names the table's columns tells a misnamed column from one this image lacks.
      const columns = this.ctx.schema?.columns;
      this.values.warnings.push(
        columns !== undefined && columns.size > 0 && !columns.has(field)
          ? { code: 'column-unknown', subject: field, message: `the table has no column "${field}" (its schema names none); written as NULL (check --fields and the --*-field options)` }
          : { code: 'field-missing', subject: field, message: `the row image has no column "${field}"; written as NULL (check --fields and the --*-field options)` },
      );
      return null;
    }
    return typedCell(value, type, field, this.values);
  }

  /**
   * The key: never NULL, since the table refuses that (a mistyped --id-field, or an event of
   * another table in the same stream). A composite key is its one text form (keyText). Throws
   * UnloadableValue naming the columns there are.
   */
  id(): string {
    const { key } = this.ctx.table;
    return key.length === 1 ? this.keyPart(key[0] as string) : keyText(key.map((field) => this.keyPart(field)));
  }

  private keyPart(field: string): string {
    const value = this.value(field);
    if (value === undefined || value === null) {
      const what = value === null || this.has(field) ? 'is NULL in' : 'is not in';
      throw new UnloadableValue(`the id column "${field}" ${what} "${this.name}" (${columnList(this.image)}); check ${this.keyOption()}`);
    }
    const id = this.cellOf(field, value, this.typeOf(field));
    if (id === null) throw new UnloadableValue(`the id column "${field}" has no value in "${this.name}"; check ${this.keyOption()}`);
    return id;
  }

  /** Where the key column is named, for messages. */
  private keyOption(): string {
    return this.ctx.options.tables === null ? '--id-field' : 'the table\'s "key"';
  }

  /** The image's columns, in its order. */
  columns(): string[] {
    return Object.keys(this.image);
  }

  /** The user_id: the user column's value, or NULL. */
  user(): Cell {
    const { user } = this.ctx.table;
    return user === '' ? null : this.cell(user);
  }

  /** Whether the column has no value: missing or NULL. */
  lacks(field: string): boolean {
    const value = this.value(field);
    return value === null || value === undefined;
  }

  /** Whether none of `fields` has a value. */
  lacksAll(fields: readonly string[]): boolean {
    for (let i = 0; i < fields.length; i++) if (!this.lacks(fields[i] as string)) return false;
    return true;
  }

  /** The created-at column, decoded by its schema type when there is a schema. */
  created(): Cell {
    const field = this.ctx.table.created;
    if (field === '') return null;
    const value = this.value(field);
    // Without a schema a number here can only be Debezium's default for a PostgreSQL timestamp.
    if (this.ctx.schema === null && (typeof value === 'number' || value instanceof ExactNumber)) return microsCell(value, field, this.values);
    const type = this.typeOf(field);
    const created = this.cellOf(field, value, type);
    // An integer of a timestamp or date type was written by temporal.ts; --timestamps epoch
    // writes numbers on purpose, for tables shaped like stream.py's.
    if (created === null || this.ctx.options.timestamps === 'epoch') return created;
    if (typeof value === 'number' && Number.isSafeInteger(value) && EPOCH_TYPES.has(type?.name)) return created;
    if (TIMESTAMP.test(created)) return created;
    throw new UnloadableValue(`datetime_created is a PostgreSQL timestamp, but "${field}" holds ${excerpt(created)}; check --created-field`);
  }
}
