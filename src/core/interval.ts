/**
 * io.debezium.time.MicroDuration, Debezium's default for a PostgreSQL `interval`: one count of
 * microseconds, which Debezium computes as if a month were 30.4375 days (365.25 / 12) and a day
 * always 24 hours. The months and days of the source interval cannot be recovered from it, so
 * the text is the same span as hours, minutes and seconds: PostgreSQL reads '730:30:00' back as
 * an interval of exactly that many microseconds.
 */

const MICROS_PER_HOUR = 3_600_000_000n;
// PostgreSQL reads an interval's time part into a signed 64-bit count of microseconds but parses
// the digits of '-2562047788:00:54.775808' (-2^63) as a positive number first, which overflows.
const SMALLEST = -(2n ** 63n);

/** A MicroDuration as `[-]H:MM:SS.ffffff`; null for the one value PostgreSQL cannot read back. */
export function microsToInterval(value: number | bigint): string | null {
  const micros = BigInt(value);
  if (micros === SMALLEST) return null;
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const hours = abs / MICROS_PER_HOUR;
  const rest = Number(abs % MICROS_PER_HOUR);
  const minutes = Math.floor(rest / 60_000_000);
  const seconds = Math.floor(rest / 1_000_000) % 60;
  const fraction = rest % 1_000_000;
  const pad2 = (x: number) => String(x).padStart(2, '0');
  return `${negative ? '-' : ''}${hours}:${pad2(minutes)}:${pad2(seconds)}.${String(fraction).padStart(6, '0')}`;
}
