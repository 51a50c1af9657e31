import type { Cell } from './columns.js';
import type { FieldType } from './connect-schema.js';
import { base64Bytes, bitsText, byteaText } from './binary.js';
import { decodeBase64Decimal } from './decimal.js';
import { ExactNumber, plainDecimal } from './exact-json.js';
import { microsToInterval } from './interval.js';
import type { TimestampMode } from './options.js';
import { arrayLiteral, hstoreLiteral, type ArrayElement } from './pg-literals.js';
import { epochDaysToDate, epochToIso, timeOfDay, type Precision } from './temporal.js';
import { loadableText, UnloadableValue } from './unloadable.js';

/** Debezium's stand-in for an unchanged TOASTed value it could not read (`unavailable.value.placeholder`). */
const UNAVAILABLE_PLACEHOLDER = '__debezium_unavailable_value';
// The same placeholder as a bytea column carries it (its bytes, base64), and as an integer array
// column does (one element per byte of it).
const UNAVAILABLE_BASE64 = Buffer.from(UNAVAILABLE_PLACEHOLDER).toString('base64');
const UNAVAILABLE_CODES = [...UNAVAILABLE_PLACEHOLDER].map((c) => c.charCodeAt(0));

/**
 * Thrown when a value's exact digits cannot be known from JSON.parse's double; the caller reads
 * the event again with parseExactJson. A singleton, not an Error: it is control flow, not a fault.
 */
export const NEEDS_EXACT_NUMBERS: unique symbol = Symbol('needs exact numbers');

export type WarningCode = 'unavailable-value' | 'before-missing' | 'before-incomplete' | 'field-missing' | 'column-unknown' | 'commit-time-missing' | 'table-unconfigured';

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

/** Whether a value is Debezium's placeholder for an unchanged TOASTed value, in any of its forms. */
export function isUnavailable(value: unknown, type: FieldType | undefined): boolean {
  if (value === UNAVAILABLE_PLACEHOLDER) return true;
  if (typeof value === 'string') return type?.type === 'bytes' && type.name === undefined && value === UNAVAILABLE_BASE64;
  if (!Array.isArray(value)) return false;
  if (value.length === 1) return value[0] === UNAVAILABLE_PLACEHOLDER;
  return value.length === UNAVAILABLE_CODES.length && value.every((v, i) => v === UNAVAILABLE_CODES[i]);
}

/** An integer's decimal text when it is exact, else undefined; a double beyond 2^53 asks for the exact parse. */
export function integerDigits(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    // Beyond 2^53 the double lost digits: the caller reads the event again, exactly.
    if (Number.isInteger(value)) throw NEEDS_EXACT_NUMBERS;
    return undefined;
  }
  return value instanceof ExactNumber && /^-?\d+$/.test(value.text) ? value.text : undefined;
}

/** An integer as a number when it is exact, a bigint when it is only exact as text, else undefined. */
function integerOf(value: unknown): number | bigint | undefined {
  // The usual case, a safe integer, needs no text.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  const digits = integerDigits(value);
  return digits === undefined ? undefined : BigInt(digits);
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
function plainCell(value: unknown, field: string, ctx: ValueContext): Cell {
  switch (typeof value) {
    case 'string':
      if (value === UNAVAILABLE_PLACEHOLDER) return unavailable(field, ctx);
      return loadableText(value, field);
    case 'number':
      if (Number.isSafeInteger(value)) return String(value);
      throw NEEDS_EXACT_NUMBERS;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return null;
      if (value instanceof ExactNumber) return plainDecimal(value.text);
      if (hasInexactNumber(value)) throw NEEDS_EXACT_NUMBERS;
      // JSON.stringify escapes control characters and lone surrogates, so this text is always loadable.
      return structuredText(value);
    default:
      return null;
  }
}

function unavailable(field: string, ctx: ValueContext): null {
  ctx.warnings.push({
    code: 'unavailable-value',
    subject: field,
    message: `"${field}" holds Debezium's placeholder for an unchanged TOASTed value; written as NULL (REPLICA IDENTITY FULL sends the real value)`,
  });
  return null;
}

/** The range each temporal type's text is limited to, for the message when a value is beyond it. */
const RANGES = {
  timestamp: "PostgreSQL's timestamp range (4714-11-24 BC to 294276-12-31)",
  date: "PostgreSQL's date range (4714-11-24 BC to 5874897-12-31)",
  time: 'a time of day (00:00:00 to 24:00:00)',
  interval: "what PostgreSQL's interval input reads",
} as const;

function temporal(
  value: unknown,
  field: string,
  ctx: ValueContext,
  range: keyof typeof RANGES,
  format: (n: number | bigint) => string | null,
): Cell {
  if (ctx.timestamps === 'epoch') return plainCell(value, field, ctx);
  const n = integerOf(value);
  // Debezium's temporal types are integers; anything else would reach a timestamp column as text.
  if (n === undefined) throw new UnloadableValue(`"${field}" = ${jsonText(value)} is not the integer ${range === 'interval' ? 'an interval' : `a ${range}`} is sent as`);
  const text = format(n);
  if (text === null) throw new UnloadableValue(`"${field}" = ${String(n)} is outside ${RANGES[range]}`);
  return text;
}

// One function per precision, made once: typedCell runs for every cell.
const instant = (precision: Precision) => (n: number | bigint) => epochToIso(n, precision);
const time = (precision: Precision) => (n: number | bigint) => timeOfDay(n, precision);
const INSTANT_MS = instant('ms');
const INSTANT_US = instant('us');
const INSTANT_NS = instant('ns');
const TIME_MS = time('ms');
const TIME_US = time('us');
const TIME_NS = time('ns');

/** A timestamp counted in milliseconds since the epoch (an event's ts_ms). */
export function millisCell(value: unknown, field: string, ctx: ValueContext): Cell {
  return temporal(value, field, ctx, 'timestamp', INSTANT_MS);
}

/** A timestamp counted in microseconds since the epoch: Debezium's default for a PostgreSQL `timestamp`. */
export function microsCell(value: unknown, field: string, ctx: ValueContext): Cell {
  return temporal(value, field, ctx, 'timestamp', INSTANT_US);
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

/** Connect bytes without a logical type: a PostgreSQL bytea (binary.handling.mode=bytes). */
function byteaCell(value: unknown, field: string, ctx: ValueContext): Cell {
  const bytes = typeof value === 'string' ? base64Bytes(value) : null;
  return bytes === null ? plainCell(value, field, ctx) : byteaText(bytes);
}

function bitsCell(value: unknown, length: number | undefined, field: string, ctx: ValueContext): Cell {
  const bytes = typeof value === 'string' ? base64Bytes(value) : null;
  if (bytes === null) return plainCell(value, field, ctx);
  const text = bitsText(bytes, length);
  if (text === null) throw new UnloadableValue(`"${field}" has bits beyond its declared length ${String(length)}`);
  return text;
}

/** A PostgreSQL array (Connect array) as an array literal, each element decoded by the element type. */
function arrayCell(value: unknown, items: FieldType | undefined, field: string, ctx: ValueContext): Cell {
  if (!Array.isArray(value)) return plainCell(value, field, ctx);
  const element = (v: unknown): ArrayElement => (Array.isArray(v) ? v.map(element) : typedCell(v, items, field, ctx));
  return loadableText(arrayLiteral(value.map(element)), field);
}

/** hstore.handling.mode=map: a Connect map of text to text (or NULL). */
function mapCell(value: unknown, field: string, ctx: ValueContext): Cell {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof ExactNumber) return plainCell(value, field, ctx);
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => v === null || typeof v === 'string')) return plainCell(value, field, ctx);
  return loadableText(hstoreLiteral(entries as [string, string | null][]), field);
}

/** A number's exact decimal text. */
function numberText(value: unknown): string | null {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    throw NEEDS_EXACT_NUMBERS;
  }
  return value instanceof ExactNumber ? plainDecimal(value.text) : null;
}

/** io.debezium.data.geometry.Point, a PostgreSQL `point`: its x and y as `(x,y)`. */
function pointCell(value: unknown, field: string, ctx: ValueContext): Cell {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { x, y } = value as Record<string, unknown>;
    const xText = numberText(x);
    const yText = numberText(y);
    if (xText !== null && yText !== null) return `(${xText},${yText})`;
  }
  return plainCell(value, field, ctx);
}

// Java's ISO formatter writes years before 1 and after 9999 with a sign ("-0043-03-15", "+10000-…"),
// which PostgreSQL does not read; its own form is the year of the era and " BC".
const SIGNED_YEAR = /^([+-]?)(\d{4,})(-.*)$/s;

/** An ISO date or timestamp string (ZonedTimestamp, and IsoDate, IsoTimestamp), its year as PostgreSQL writes it. */
function isoStringCell(value: unknown, field: string, ctx: ValueContext): Cell {
  const m = typeof value === 'string' ? SIGNED_YEAR.exec(value) : null;
  if (m === null) return plainCell(value, field, ctx);
  const [, sign, digits = '', rest = ''] = m;
  const year = sign === '-' ? -Number(digits) : Number(digits);
  if (year >= 1) return sign === '' ? plainCell(value, field, ctx) : loadableText(`${year}${rest}`, field);
  return loadableText(`${String(1 - year).padStart(4, '0')}${rest} BC`, field);
}

/** A value decoded by its column's Connect logical type, when the schema gives one. */
export function typedCell(value: unknown, type: FieldType | undefined, field: string, ctx: ValueContext): Cell {
  if (value === null || value === undefined) return null;
  if (type === undefined) return plainCell(value, field, ctx);
  // Numbers, the usual typed value, are never the placeholder.
  if (typeof value !== 'number' && isUnavailable(value, type)) return unavailable(field, ctx);
  // The plain Connect types (no logical type) first: most columns are.
  switch (type.name) {
    case undefined:
      // Without a logical type, the Connect type alone says how PostgreSQL's text looks.
      if (type.type === 'bytes') return byteaCell(value, field, ctx);
      if (type.type === 'array') return arrayCell(value, type.items, field, ctx);
      if (type.type === 'map') return mapCell(value, field, ctx);
      return plainCell(value, field, ctx);
    case 'io.debezium.time.MicroTimestamp':
      return temporal(value, field, ctx, 'timestamp', INSTANT_US);
    case 'io.debezium.time.Timestamp':
    case 'org.apache.kafka.connect.data.Timestamp':
      return temporal(value, field, ctx, 'timestamp', INSTANT_MS);
    case 'io.debezium.time.NanoTimestamp':
      return temporal(value, field, ctx, 'timestamp', INSTANT_NS);
    case 'io.debezium.time.Date':
    case 'org.apache.kafka.connect.data.Date':
      return temporal(value, field, ctx, 'date', epochDaysToDate);
    case 'io.debezium.time.Time':
    case 'org.apache.kafka.connect.data.Time':
      return temporal(value, field, ctx, 'time', TIME_MS);
    case 'io.debezium.time.MicroTime':
      return temporal(value, field, ctx, 'time', TIME_US);
    case 'io.debezium.time.NanoTime':
      return temporal(value, field, ctx, 'time', TIME_NS);
    case 'io.debezium.time.ZonedTimestamp':
    case 'io.debezium.time.IsoTimestamp':
    case 'io.debezium.time.IsoDate':
      return isoStringCell(value, field, ctx);
    case 'io.debezium.time.MicroDuration':
      return temporal(value, field, ctx, 'interval', microsToInterval);
    case 'org.apache.kafka.connect.data.Decimal':
      return decimalCell(value, type.scale, field, ctx);
    case 'io.debezium.data.VariableScaleDecimal':
      return variableScaleDecimalCell(value, field, ctx);
    case 'io.debezium.data.Bits':
      return bitsCell(value, type.length, field, ctx);
    case 'io.debezium.data.geometry.Point':
      return pointCell(value, field, ctx);
    default:
      return plainCell(value, field, ctx);
  }
}
