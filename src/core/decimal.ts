/**
 * Kafka Connect's Decimal logical type: the unscaled value as big-endian two's-complement bytes,
 * base64-encoded in JSON, with the scale in the schema.
 */

/** The exact decimal text of an unscaled integer and a scale (12345, 2 → "123.45"). */
export function scaledDecimal(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes a base64 Connect Decimal; null when the text is not base64. */
export function decodeBase64Decimal(base64: string, scale: number): string | null {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return null;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return null;
  const unscaled = BigInt.asIntN(bytes.length * 8, BigInt(`0x${bytes.toString('hex')}`));
  return scaledDecimal(unscaled, scale);
}
