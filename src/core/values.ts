import type { Cell } from './columns.js';
import type { FieldType } from './connect-schema.js';
import { decodeBase64Decimal } from './decimal.js';
import { ExactNumber, plainDecimal } from './exact-json.js';
import type { TimestampMode } from './options.js';
import { epochDaysToDate, epochToIso, timeOfDay, type Precision } from './temporal.js';

/** Debezium's stand-in for an unchanged TOASTed value it could not read (`unavailable.value.placeholder`). */
export const UNAVAILABLE_PLACEHOLDER = '__debezium_unavailable_value';

/**
 * Thrown when a value's exact digits cannot be known from JSON.parse's double; the caller reads
 * the event again with parseExactJson. A singleton, not an Error: it is control flow, not a fault.
 */
export const NEEDS_EXACT_NUMBERS: unique symbol = Symbol('needs exact numbers');

export type WarningCode = 'unavailable-value' | 'before-missing' | 'field-missing' | 'column-unknown' | 'timestamp-range';

/** Something worth telling the user about a converted event; the event itself is still written. */
export interface Warning {
  readonly code: WarningCode;
  /** What the warning is about (a field name, a table), so repeats of one cause can be grouped. */
  readonly subject: string;
  readonly message: string;
}

/** What formatting a value needs besides the value. */
export interface ValueContext {
  readonly timestamps: TimestampMode;
  readonly warnings: Warning[];
}

/** An integer as a number when it is exact, a bigint when it is only exact as text, else undefined. */
function integerOf(value: unknown): number | bigint | undefined {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    if (Number.isInteger(value)) throw NEEDS_EXACT_NUMBERS;
    return undefined;
  }
  if (value instanceof ExactNumber && /^-?\d+$/.test(value.text)) return BigInt(value.text);
  return undefined;
}

function hasInexactNumber(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasInexactNumber(v)) return true;
  return false;
}

/** JSON text of a structured value (arrays, structs), numbers written as in the source. */
function structuredText(value: object): string {
  if (value instanceof ExactNumber) return plainDecimal(value.text);
  if (Array.isArray(value)) return `[${value.map((v) => jsonText(v)).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
    .join(',')}}`;
}

function jsonText(value: unknown): string {
  return typeof value === 'object' && value !== null ? structuredText(value) : JSON.stringify(value);
}

/** A value written as it is: text as text, numbers exactly, structures as compact JSON. */
export function plainCell(value: unknown, field: string, ctx: ValueContext): Cell {
  switch (typeof value) {
    case 'string':
      if (value === UNAVAILABLE_PLACEHOLDER) {
        ctx.warnings.push({
          code: 'unavailable-value',
          subject: field,
          message: `"${field}" holds Debezium's placeholder for an unchanged TOASTed value; written as NULL (REPLICA IDENTITY FULL sends the real value)`,
        });
        return null;
      }
      return value;
    case 'number':
      if (Number.isSafeInteger(value)) return String(value);
      throw NEEDS_EXACT_NUMBERS;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return null;
      if (value instanceof ExactNumber) return plainDecimal(value.text);
      if (hasInexactNumber(value)) throw NEEDS_EXACT_NUMBERS;
      return structuredText(value);
    default:
      return null;
  }
}

function temporal(
  value: unknown,
  field: string,
  ctx: ValueContext,
  format: (n: number | bigint) => string | null,
): Cell {
  if (ctx.timestamps === 'epoch') return plainCell(value, field, ctx);
  const n = integerOf(value);
  if (n === undefined) return plainCell(value, field, ctx);
  const text = format(n);
  if (text !== null) return text;
  ctx.warnings.push({
    code: 'timestamp-range',
    subject: field,
    message: `"${field}" = ${String(n)} is outside the years 0001–9999; written as the raw number`,
  });
  return String(n);
}

const instant = (precision: Precision) => (n: number | bigint) => epochToIso(n, precision);
const time = (precision: Precision) => (n: number | bigint) => timeOfDay(n, precision);

/** A timestamp counted in milliseconds since the epoch (an event's ts_ms). */
export function millisCell(value: unknown, field: string, ctx: ValueContext): Cell {
  return temporal(value, field, ctx, instant('ms'));
}

/** A timestamp counted in microseconds since the epoch: Debezium's default for a PostgreSQL `timestamp`. */
export function microsCell(value: unknown, field: string, ctx: ValueContext): Cell {
  return temporal(value, field, ctx, instant('us'));
}

function decimalCell(value: unknown, scale: number | undefined, field: string, ctx: ValueContext): Cell {
  if (typeof value === 'string' && scale !== undefined) {
    const text = decodeBase64Decimal(value, scale);
    if (text !== null) return text;
  }
  // decimal.format=NUMERIC writes the decimal as a JSON number: its digits must come from the source text.
  if (typeof value === 'number') throw NEEDS_EXACT_NUMBERS;
  if (value instanceof ExactNumber && scale !== undefined) return withScale(plainDecimal(value.text), scale);
  return plainCell(value, field, ctx);
}

/** A plain decimal written with the column's scale, as the base64 form is ("30.5", 2 → "30.50"). */
function withScale(decimal: string, scale: number): string {
  const [int, fraction = ''] = decimal.split('.');
  if (scale <= 0 || fraction.length > scale || /e/i.test(decimal)) return decimal;
  return `${int}.${fraction.padEnd(scale, '0')}`;
}

function variableScaleDecimalCell(value: unknown, field: string, ctx: ValueContext): Cell {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { scale, value: bytes } = value as Record<string, unknown>;
    const s = integerOf(scale);
    if (typeof bytes === 'string' && s !== undefined) {
      const text = decodeBase64Decimal(bytes, Number(s));
      if (text !== null) return text;
    }
  }
  return plainCell(value, field, ctx);
}

/** A value decoded by its column's Connect logical type, when the schema gives one. */
export function typedCell(value: unknown, type: FieldType | undefined, field: string, ctx: ValueContext): Cell {
  if (value === null || value === undefined) return null;
  switch (type?.name) {
    case 'io.debezium.time.Timestamp':
    case 'org.apache.kafka.connect.data.Timestamp':
      return temporal(value, field, ctx, instant('ms'));
    case 'io.debezium.time.MicroTimestamp':
      return temporal(value, field, ctx, instant('us'));
    case 'io.debezium.time.NanoTimestamp':
      return temporal(value, field, ctx, instant('ns'));
    case 'io.debezium.time.Date':
    case 'org.apache.kafka.connect.data.Date':
      return temporal(value, field, ctx, epochDaysToDate);
    case 'io.debezium.time.Time':
    case 'org.apache.kafka.connect.data.Time':
      return temporal(value, field, ctx, time('ms'));
    case 'io.debezium.time.MicroTime':
      return temporal(value, field, ctx, time('us'));
    case 'io.debezium.time.NanoTime':
      return temporal(value, field, ctx, time('ns'));
    case 'org.apache.kafka.connect.data.Decimal':
      return decimalCell(value, type?.scale, field, ctx);
    case 'io.debezium.data.VariableScaleDecimal':
      return variableScaleDecimalCell(value, field, ctx);
    default:
      return plainCell(value, field, ctx);
  }
}
