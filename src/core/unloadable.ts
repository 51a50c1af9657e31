/**
 * Values that have no text COPY … CSV loads as the same value. Writing one would make PostgreSQL
 * refuse the whole file (or store something else), so the line is rejected instead, with the reason.
 */

/** Thrown from deep inside a value's formatting; the pivot turns it into the line's rejection. */
export class UnloadableValue {
  constructor(readonly reason: string) {}
}

// A line that is exactly \. ends COPY's data even inside a quoted CSV field (PostgreSQL 15's
// CopyReadLineText, and psql when it reads the data from its own input). The output's lines end
// in LF, so only LF before it counts; after it, LF or CR LF (measured: a lone CR does not end it).
const END_OF_DATA_LINE = /\n\\\.\r?\n/;

/** The text itself, when COPY can load it as it is; otherwise throws UnloadableValue naming `field`. */
export function loadableText(text: string, field: string): string {
  // One scan each, none of them allocating; isWellFormed returns at once for one-byte strings.
  if (!text.isWellFormed()) throw new UnloadableValue(`"${field}" holds a lone UTF-16 surrogate, which is not a character (JSON "\\udXXX" without its pair)`);
  if (text.indexOf('\0') !== -1) throw new UnloadableValue(`"${field}" holds U+0000, which PostgreSQL text cannot store`);
  if (text.indexOf('\n\\.') !== -1 && END_OF_DATA_LINE.test(text)) {
    throw new UnloadableValue(`"${field}" holds a line that is exactly \\., which COPY … CSV takes for the end of the data`);
  }
  return text;
}
