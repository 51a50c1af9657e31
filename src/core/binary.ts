/**
 * Connect `bytes` values, which the JsonConverter writes as base64: a PostgreSQL `bytea` (Debezium's
 * default binary.handling.mode=bytes) and io.debezium.data.Bits (`bit(n)`, `bit varying`).
 */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of a base64 text; null when it is not base64. */
export function base64Bytes(base64: string): Buffer | null {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return null;
  return Buffer.from(base64, 'base64');
}

/** bytea's hex format, which PostgreSQL reads back as the same bytes whatever bytea_output is. */
export function byteaText(bytes: Buffer): string {
  return `\\x${bytes.toString('hex')}`;
}

// Debezium's length for a `bit varying` column declared without one: 2^31 - 1.
const UNDECLARED_LENGTH = 2_147_483_647;

const isSet = (bytes: Buffer, bit: number): boolean => (((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1) === 1;

/**
 * A bit string, most significant bit first. Debezium sends the bits little-endian (bit 0, the
 * last character of PostgreSQL's text, is the lowest bit of the first byte) and drops the bytes
 * above the highest bit set, so the text is padded with zeros to `length`, the column's declared
 * width, as `bit(n)` needs. Null when a bit beyond that width is set.
 */
export function bitsText(bytes: Buffer, length: number | undefined): string | null {
  let highest = bytes.length * 8 - 1;
  while (highest >= 0 && !isSet(bytes, highest)) highest--;
  const width = length === undefined || length === UNDECLARED_LENGTH ? Math.max(highest + 1, 1) : length;
  if (highest >= width) return null;
  let text = '';
  for (let bit = width - 1; bit >= 0; bit--) text += isSet(bytes, bit) ? '1' : '0';
  return text;
}
