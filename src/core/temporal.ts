/**
 * Epoch numbers (as Debezium and Kafka Connect encode temporal columns) to text PostgreSQL reads
 * back as the same value: ISO 8601 in UTC, with ` BC` after it for years before 1 (PostgreSQL's
 * own way; ISO's year 0 is 1 BC), `infinity` and `-infinity` for Debezium's stand-ins for them.
 * Each function returns null for a value PostgreSQL's type cannot hold.
 */

/** How many units of a precision make one millisecond, and the fraction digits to write. */
const PRECISIONS = {
  ms: { perMs: 1, digits: 3 },
  us: { perMs: 1_000, digits: 6 },
  ns: { perMs: 1_000_000, digits: 9 },
} as const;
export type Precision = keyof typeof PRECISIONS;

const MS_PER_DAY = 86_400_000;
const MS_PER_DAY_N = 86_400_000n;

// PostgreSQL's range, in days since 1970-01-01: timestamps from 4714-11-24 BC (Julian day 0) to
// 294276-12-31 (see datatype-datetime.html), dates to 5874897-12-31.
const FIRST_DAY = -2_440_588;
const LAST_TIMESTAMP_DAY = 106_762_939;
const LAST_DATE_DAY = 2_145_042_905;
// Within these days Date formats the date, and no year needs BC or a fifth digit.
const FIRST_DAY_0001 = -719_162;
const LAST_DAY_9999 = 2_932_896;

/**
 * How Debezium's PostgreSQL connector writes `infinity` and `-infinity`: pgjdbc's stand-in instants
 * (PGStatement.DATE_POSITIVE_INFINITY and _NEGATIVE_, read as microseconds) in each unit, and
 * Long.MAX_VALUE / MIN_VALUE for nanoseconds. They are beyond 2^53, so they arrive as bigints.
 */
const INFINITIES: { readonly [p in Precision]: readonly [bigint, bigint] } = {
  ms: [9_223_372_036_825_200n, -9_223_372_036_832_400n],
  us: [9_223_372_036_825_200_000n, -9_223_372_036_832_400_000n],
  ns: [9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n],
};
// The dates Debezium reads `infinity` and `-infinity` as (LocalDate -5877611-06-21 and -22), in days.
const DATE_INFINITIES = [-2_147_472_692, -2_147_472_691] as const;

function infinity(value: number | bigint, [positive, negative]: readonly [bigint | number, bigint | number]): string | null {
  if (value === positive) return 'infinity';
  if (value === negative) return '-infinity';
  return null;
}

/** An instant counted in `precision` units since 1970-01-01T00:00:00Z. */
export function epochToIso(value: number | bigint, precision: Precision): string | null {
  const { perMs, digits } = PRECISIONS[precision];
  // The day, the millisecond of the day and the units below it (all ≥ 0), without an array: this
  // runs for every row.
  let day: number;
  let ms: number;
  let rest: number;
  if (typeof value === 'number') {
    const whole = Math.floor(value / perMs);
    rest = value - whole * perMs;
    day = Math.floor(whole / MS_PER_DAY);
    ms = whole - day * MS_PER_DAY;
  } else {
    const named = infinity(value, INFINITIES[precision]);
    if (named !== null) return named;
    const per = BigInt(perMs);
    const whole = floorDiv(value, per);
    rest = Number(value - whole * per);
    const bigDay = floorDiv(whole, MS_PER_DAY_N);
    day = Number(bigDay);
    ms = Number(whole - bigDay * MS_PER_DAY_N);
  }
  if (day < FIRST_DAY || day > LAST_TIMESTAMP_DAY) return null;
  if (digits === 3) return isoText(day, ms, '');
  return isoText(day, ms, digits === 6 ? (PAD3[rest] as string) : String(rest).padStart(digits - 3, '0'));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

// Formatting is on the hot path (every row has a timestamp or two): the date is built once per
// day by Date, the time of day by arithmetic and lookup tables, much faster than toISOString
// (bench/README.md), and the whole text in one template, so it is not built, sliced and built again.
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let cachedDay = Number.NaN;
let cachedDate = '';
let cachedEra = '';

/** `YYYY-MM-DDThh:mm:ss.fff` + `finer` (digits below the millisecond) + `Z`, and ` BC` when it is. */
function isoText(day: number, ms: number, finer: string): string {
  if (day !== cachedDay) {
    cachedDay = day;
    const date = dateText(day);
    const bc = date.endsWith(' BC');
    cachedDate = bc ? date.slice(0, -3) : date;
    cachedEra = bc ? ' BC' : '';
  }
  let rest = ms;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedDate}T${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[rest - seconds * 1000]}${finer}Z${cachedEra}`;
}

/** A day since 1970-01-01 as `YYYY-MM-DD`, with ` BC` for years before 1. */
function dateText(day: number): string {
  if (day >= FIRST_DAY_0001 && day <= LAST_DAY_9999) return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  const [year, month, dayOfMonth] = civilFromDays(day);
  const date = (y: number) => `${String(y).padStart(4, '0')}-${PAD2[month]}-${PAD2[dayOfMonth]}`;
  return year >= 1 ? date(year) : `${date(1 - year)} BC`;
}

/**
 * The proleptic Gregorian year (0 is 1 BC), month and day of a day since 1970-01-01, for the days
 * Date cannot count (it stops at ±100,000,000 days). Howard Hinnant's days_from_civil inverse:
 * https://howardhinnant.github.io/date_algorithms.html#civil_from_days
 */
function civilFromDays(day: number): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, dayOfMonth];
}

/** Days since 1970-01-01 as a date. */
export function epochDaysToDate(days: number | bigint): string | null {
  const n = Number(days);
  const named = infinity(n, DATE_INFINITIES);
  if (named !== null) return named;
  if (!Number.isSafeInteger(n) || n < FIRST_DAY || n > LAST_DATE_DAY) return null;
  return dateText(n);
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
