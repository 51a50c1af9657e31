/**
 * Kafka Connect's Decimal logical type: the unscaled value as big-endian two's-complement bytes,
 * base64-encoded in JSON, with the scale in the schema.
 */
import { base64Bytes } from './binary.js';

/** The exact decimal text of an unscaled integer and a scale (12345, 2 → "123.45"). */
export function scaledDecimal(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Decodes a base64 Connect Decimal; null when the text is not base64. */
export function decodeBase64Decimal(base64: string, scale: number): string | null {
  const bytes = base64Bytes(base64);
  if (bytes === null || bytes.length === 0) return null;
  const unscaled = BigInt.asIntN(bytes.length * 8, BigInt(`0x${bytes.toString('hex')}`));
  return scaledDecimal(unscaled, scale);
}
