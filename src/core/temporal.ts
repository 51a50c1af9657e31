/**
 * Epoch numbers (as Debezium and Kafka Connect encode temporal columns) to ISO 8601 text.
 * Each function returns null when the value cannot be written as ISO text PostgreSQL reads
 * back (years 0001–9999); the caller then keeps the raw number and says so.
 */

/** How many units of a precision make one millisecond, and the fraction digits to write. */
export const PRECISIONS = {
  ms: { perMs: 1, digits: 3 },
  us: { perMs: 1_000, digits: 6 },
  ns: { perMs: 1_000_000, digits: 9 },
} as const;
export type Precision = keyof typeof PRECISIONS;

const MIN_MS = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const MS_PER_DAY = 86_400_000;

/** An instant counted in `precision` units since 1970-01-01T00:00:00Z, as ISO 8601 UTC with `Z`. */
export function epochToIso(value: number | bigint, precision: Precision): string | null {
  const { perMs, digits } = PRECISIONS[precision];
  // Whole milliseconds and the units below them (≥ 0), without an array: this runs for every row.
  let ms: number;
  let rest: number;
  if (typeof value === 'number') {
    ms = Math.floor(value / perMs);
    rest = value - ms * perMs;
  } else {
    const per = BigInt(perMs);
    let whole = value / per;
    let below = value % per;
    if (below < 0n) {
      whole -= 1n;
      below += per;
    }
    if (whole < BigInt(MIN_MS) || whole > BigInt(MAX_MS)) return null;
    ms = Number(whole);
    rest = Number(below);
  }
  if (ms < MIN_MS || ms > MAX_MS) return null;
  if (digits === 3) return isoText(ms, '');
  return isoText(ms, digits === 6 ? (PAD3[rest] as string) : String(rest).padStart(digits - 3, '0'));
}

// Formatting is on the hot path (every row has a timestamp or two): the date is built once per
// day by Date, the time of day by arithmetic and lookup tables, much faster than toISOString
// (bench/README.md), and the whole text in one template, so it is not built, sliced and built again.
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let cachedDay = Number.NaN;
let cachedDate = '';

/** new Date(ms).toISOString() with `finer` (digits below the millisecond) before its Z, for ms within the years 0001–9999. */
function isoText(ms: number, finer: string): string {
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
  }
  let rest = ms - day * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedDate}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[rest - seconds * 1000]}${finer}Z`;
}

/** Days since 1970-01-01 as an ISO 8601 date. */
export function epochDaysToDate(days: number | bigint): string | null {
  const n = Number(days);
  if (!Number.isSafeInteger(n)) return null;
  const ms = n * MS_PER_DAY;
  if (ms < MIN_MS || ms > MAX_MS) return null;
  return new Date(ms).toISOString().slice(0, 10);
}

/** A time of day counted in `precision` units since midnight, as HH:MM:SS with its fraction. */
export function timeOfDay(value: number | bigint, precision: Precision): string | null {
  const { perMs, digits } = PRECISIONS[precision];
  const n = Number(value);
  const perSecond = perMs * 1000;
  // PostgreSQL's time type goes up to 24:00:00 inclusive.
  if (!Number.isSafeInteger(n) || n < 0 || n > 86_400 * perSecond) return null;
  const seconds = Math.floor(n / perSecond);
  const fraction = n - seconds * perSecond;
  const pad2 = (x: number): string => String(x).padStart(2, '0');
  const hms = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  return `${hms}.${String(fraction).padStart(digits, '0')}`;
}
